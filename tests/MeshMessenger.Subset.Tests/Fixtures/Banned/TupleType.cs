// expect: RS0030 T:System.Tuple
namespace F;

public static class C
{
    public static object Make() => System.Tuple.Create(1, 2);
}
