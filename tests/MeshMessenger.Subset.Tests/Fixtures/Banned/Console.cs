// expect: RS0030 T:System.Console
namespace F;

public static class C
{
    public static void Say() => System.Console.WriteLine("hi");
}
