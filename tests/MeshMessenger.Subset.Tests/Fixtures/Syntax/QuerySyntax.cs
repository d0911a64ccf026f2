// expect: MMS010
namespace F;

public static class C
{
    public static object Evens(int[] a) => from x in a where x % 2 == 0 select x;
}
