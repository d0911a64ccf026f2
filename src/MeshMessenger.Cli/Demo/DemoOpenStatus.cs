namespace MeshMessenger.Cli.Demo;

public enum DemoOpenStatus
{
    Opened,
    Malformed,
    BadSignature,
    CannotDecrypt,
}
