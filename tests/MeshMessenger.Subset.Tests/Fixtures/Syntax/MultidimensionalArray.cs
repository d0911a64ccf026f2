// expect: MMS007
namespace F;

public static class C
{
    public static int[,] Grid() => new int[2, 2];
}
