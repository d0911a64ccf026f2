// expect: RS0030 T:System.Reflection.MethodInfo
namespace F;

public static class C
{
    public static System.Type Returns() => typeof(object).GetMethod("ToString")!.ReturnType;
}
