// expect: MMS008
namespace F;

public static class C
{
    public static unsafe int First()
    {
        int* p = stackalloc int[4];
        return p[0];
    }
}
