// expect: MMS001
namespace F;

public static class C
{
    public static int Id<T>(int x) => x;
}
