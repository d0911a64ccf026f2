// expect: RS0030 N:System.Text.Json
namespace F;

public static class C
{
    public static string Write() => System.Text.Json.JsonSerializer.Serialize(1);
}
