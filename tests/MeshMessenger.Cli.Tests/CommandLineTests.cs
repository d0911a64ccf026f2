using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;

namespace MeshMessenger.Cli.Tests;

/// <summary>The whole `meshmsg` command tree holds to one set of conventions (README, "meshmsg exit codes").</summary>
public sealed class CommandLineTests
{
    /// <summary>Commands that report something rather than change something: each must offer --json.</summary>
    private static readonly string[] QueryCommands =
    [
        "keygen", "contact show", "contact parse", "emulate", "emulate sweep", "bench crypto", "bench protocol", "bench emulator", "bench anchoring", "bench web",
        "hardware boards", "hardware show", "hardware power", "hardware check", "verify", "status",
    ];

    [Fact]
    public void Every_query_command_offers_json_and_every_command_shows_examples_in_its_help()
    {
        Dictionary<string, Command> leaves = Leaves(Program.BuildRoot(), "").ToDictionary(c => c.Path, c => c.Command);
        Assert.Contains("up", leaves.Keys);
        foreach (string query in QueryCommands)
        {
            Assert.True(leaves.ContainsKey(query), $"no command '{query}'");
            Assert.True(leaves[query].Options.Any(o => o.Name == "--json" && o.ValueType == typeof(bool)), $"'{query}' has no --json switch");
        }

        foreach ((string path, Command command) in leaves)
        {
            Assert.True(command.Description?.Contains("Example", StringComparison.Ordinal) == true, $"'{path}' has no example in its help");
        }
    }

    [Theory]
    [InlineData("bench protocol --seconds 0.01 --json --out {tmp}", 0)]
    [InlineData("hardware boards --json", 0)]
    [InlineData("hardware check no-such-board --json", 1)]
    public void Json_output_is_one_parseable_document_on_stdout_and_the_exit_code_follows_the_outcome(string arguments, int exitCode)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"meshmsg-json-{Guid.NewGuid():N}.json");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "meshmsg.dll"));
            foreach (string part in arguments.Replace("{tmp}", tmp).Split(' '))
            {
                start.ArgumentList.Add(part);
            }

            using Process process = Process.Start(start)!;
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(exitCode, process.ExitCode);
            using JsonDocument document = JsonDocument.Parse(stdout);
            Assert.NotEqual(JsonValueKind.Undefined, document.RootElement.ValueKind);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    [Fact]
    public void Bad_usage_exits_with_2()
    {
        Assert.Equal(2, Program.Main(["up", "--devices", "many"]));
        Assert.Equal(2, Program.Main(["no-such-command"]));
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path)
    {
        if (command.Subcommands.Count == 0 || command.Arguments.Count > 0)
        {
            yield return (path, command);
        }

        foreach (Command sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, (path + " " + sub.Name).Trim()))
            {
                yield return leaf;
            }
        }
    }
}
