// expect: RS0030 T:System.Activator
namespace F;

public static class C
{
    public static object? Make() => System.Activator.CreateInstance(typeof(object));
}
