// expect: RS0030 N:System.Collections.Generic
namespace F;

public static class C
{
    public static object Make() => new System.Collections.Generic.List<int>();
}
