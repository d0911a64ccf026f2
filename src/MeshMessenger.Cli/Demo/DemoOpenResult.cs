namespace MeshMessenger.Cli.Demo;

public sealed record DemoOpenResult(DemoOpenStatus Status, byte[]? Plaintext);
