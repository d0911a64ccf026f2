// expect: RS0030 T:System.Reflection.FieldInfo
namespace F;

public static class C
{
    public static object? Read() => typeof(string).GetField("Empty")!.GetValue(null);
}
