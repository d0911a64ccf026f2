// expect: MMS012
namespace F;

public static class C
{
    public static object Call(dynamic d) => d.Run();
}
