// expect: MMS006
namespace F;

public static class C
{
    public static int? Find() => null;
}
