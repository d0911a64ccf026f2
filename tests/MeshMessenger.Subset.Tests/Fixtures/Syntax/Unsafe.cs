// expect: MMS009
namespace F;

public static class C
{
    public static int Read(int[] a)
    {
        unsafe
        {
            fixed (int* p = a)
            {
                return *p;
            }
        }
    }
}
