// expect: RS0030 M:System.Array.Resize``1(``0[]@,System.Int32)
namespace F;

public static class C
{
    public static int[] Grow(int[] a)
    {
        System.Array.Resize(ref a, 10);
        return a;
    }
}
