// expect: MMS001
namespace F;

public sealed class Box<T>
{
    public int Count;
}
