// expect: MMS003
namespace F;

public sealed record Point(int X, int Y);
