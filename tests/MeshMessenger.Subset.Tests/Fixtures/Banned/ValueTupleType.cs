// expect: RS0030 T:System.ValueTuple
namespace F;

public static class C
{
    public static object Make() => System.ValueTuple.Create(1, 2);
}
