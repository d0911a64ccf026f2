// expect: RS0030 M:System.Array.Reverse(System.Array)
namespace F;

public static class C
{
    public static void Flip(System.Array a) => System.Array.Reverse(a);
}
