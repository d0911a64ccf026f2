// expect: RS0030 T:System.Reflection.ConstructorInfo
namespace F;

public static class C
{
    public static object Make() => typeof(object).GetConstructor(System.Type.EmptyTypes)!.Invoke(null);
}
