// expect: MMS005
namespace F;

public static class C
{
    public static async void Run()
    {
        await System.Threading.Tasks.Task.Yield();
    }
}
