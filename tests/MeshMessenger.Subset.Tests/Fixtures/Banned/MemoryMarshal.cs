// expect: RS0030 T:System.Runtime.InteropServices.MemoryMarshal
namespace F;

public static class C
{
    public static ref byte First(byte[] a) => ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a);
}
