// expect: RS0030 M:System.Array.Fill``1(``0[],``0)
namespace F;

public static class C
{
    public static void Zero(int[] a) => System.Array.Fill(a, 0);
}
