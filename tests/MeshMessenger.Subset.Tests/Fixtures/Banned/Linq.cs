// expect: RS0030 N:System.Linq
namespace F;

public static class C
{
    public static int Count(int[] a) => System.Linq.Enumerable.Count(a);
}
