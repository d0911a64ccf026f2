// expect: RS0030 N:System.Threading.Tasks
namespace F;

public static class C
{
    public static void Run() => System.Threading.Tasks.Task.Delay(1).Wait();
}
