// expect: RS0030 T:System.Reflection.Assembly
namespace F;

public static class C
{
    public static string? Name() => System.Reflection.Assembly.GetExecutingAssembly().FullName;
}
