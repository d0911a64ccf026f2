namespace MeshMessenger.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("meshmsg");
        return args.Length;
    }
}
