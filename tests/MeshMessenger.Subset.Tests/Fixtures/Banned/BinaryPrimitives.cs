// expect: RS0030 T:System.Buffers.Binary.BinaryPrimitives
namespace F;

public static class C
{
    public static uint Swap(uint x) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x);
}
