// expect: MMS004
namespace F;

public static class C
{
    public static int Sum()
    {
        var pair = (1, 2);
        return pair.Item1 + pair.Item2;
    }
}
