// expect: RS0030 T:System.Reflection.PropertyInfo
namespace F;

public static class C
{
    public static object? Read(string s) => typeof(string).GetProperty("Length")!.GetValue(s);
}
