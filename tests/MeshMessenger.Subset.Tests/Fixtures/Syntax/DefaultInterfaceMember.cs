// expect: MMS011
namespace F;

public interface IClock
{
    long Now();

    long Later() => Now() + 1;
}
