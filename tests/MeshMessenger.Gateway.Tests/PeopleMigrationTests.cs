using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.PeopleMigration;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The gateway keeps no person's secret. A people.json that an earlier release wrote (people it hosted, with their
/// backup codes) is handed once to each person's own browser, identified by the access cookie that release gave
/// it, and then deleted for good. A real gateway process, real HTTP, a real data folder scanned byte by byte.
/// </summary>
public sealed class PeopleMigrationTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-people-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Only_the_cookie_holder_gets_the_backup_code_and_after_done_no_byte_of_the_secret_is_left_and_a_restart_does_not_bring_it_back()
    {
        string data = Path.Combine(_folder.Path, "gw");
        using var gateway = new GatewayProcess("moving", data, FreePort.Tcp(), "off", "--emulate", "2");
        gateway.StartDetached();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        string demo = (await http.GetFromJsonAsync<JsonElement>("/api/devices")).EnumerateArray().First().GetProperty("id").GetString()!;
        gateway.Kill9();

        // Two people an earlier release hosted, in the format it wrote, and an unfinished write it left behind.
        Person ada = new("Ada");
        Person bo = new("Bo");
        string village = EmulatedDevices.Village.ToText();
        string people = $$"""
            [
              {
                "name": "Ada",
                "backupCode": "{{ada.Code}}",
                "contacts": [ "{{bo.Hex}}", "{{demo}}", "0badf00d" ],
                "channels": [ "{{village}}" ],
                "readUpTo": { "{{demo}}": 3 },
                "accessKeyHash": "{{ada.KeyHash}}"
              },
              {
                "name": "Bo",
                "backupCode": "{{bo.Code}}",
                "contacts": [ "{{ada.Hex}}" ],
                "channels": [],
                "readUpTo": {},
                "accessKeyHash": "{{bo.KeyHash}}"
              }
            ]
            """;
        await File.WriteAllTextAsync(Path.Combine(data, "people.json"), people);
        await File.WriteAllTextAsync(Path.Combine(data, "people.json.new"), people);
        Restart(gateway);

        JsonElement pending = await http.GetFromJsonAsync<JsonElement>("/api/migrations");
        Assert.Equal(new[] { ada.Hex, bo.Hex }.Order(), pending.EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        Assert.All(pending.EnumerateArray(), p => Assert.Equal(new[] { "id" }, p.EnumerateObject().Select(o => o.Name))); // ids only, no names
        JsonElement devices = await http.GetFromJsonAsync<JsonElement>("/api/devices");
        Assert.All(devices.EnumerateArray(), d => Assert.True(d.GetProperty("demo").GetBoolean()));
        Assert.DoesNotContain(devices.EnumerateArray(), d => d.GetProperty("id").GetString() is string id && (id == ada.Hex || id == bo.Hex));

        // Only Ada's browser gets Ada's code: not a page without the cookie, not Bo's browser, not a wrong key.
        foreach (string? cookie in new[] { null, $"mm_key_{ada.Hex}={bo.Key}", $"mm_key_{bo.Hex}={bo.Key}", $"mm_key_{ada.Hex}={ada.Key}x" })
        {
            using HttpResponseMessage refused = await Send(http, HttpMethod.Get, $"/api/devices/{ada.Hex}/migration", cookie);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain(ada.Code, await refused.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage given = await Send(http, HttpMethod.Get, $"/api/devices/{ada.Hex}/migration", ada.Cookie))
        {
            Assert.Equal(HttpStatusCode.OK, given.StatusCode);
            Assert.True(given.Headers.CacheControl?.NoStore);
            JsonElement body = await given.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(ada.Hex, body.GetProperty("id").GetString());
            Assert.Equal("Ada", body.GetProperty("name").GetString());
            Assert.Equal(ada.Code, body.GetProperty("backupCode").GetString());
            Assert.Equal(ProtocolError.None, BackupCode.TryRestore(body.GetProperty("backupCode").GetString()!, out NodeIdentity? restored));
            Assert.Equal(ada.Id, restored!.Id);
            Assert.Equal(new[] { village }, body.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
            // Cards the gateway can vouch for: Bo's (own identity, read from the file) and the demo device's; 0badf00d has none.
            uint[] carded = [.. body.GetProperty("contacts").EnumerateArray().Select(c => ContactCard.TryParse(c.GetString()!, out ContactCard? card) == ProtocolError.None ? card!.Profile.NodeId : 0u)];
            Assert.Equal(new[] { bo.Id, Convert.ToUInt32(demo, 16) }.Order(), carded.Order());
        }

        // A pending person is not hosted: their old API answers 410 and nothing is written as them.
        using (HttpResponseMessage gone = await http.PostAsJsonAsync($"/api/devices/{ada.Hex}/chats/{demo}", new { text = "still here?" }))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Contains("moves to the browser", await gone.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync($"/api/devices/{ada.Hex}/chats")).StatusCode);
        Assert.False(gateway.Entries().ContainsKey(ada.Hex));
        foreach (string removed in new[] { "/api/people", "/api/provision" })
        {
            using HttpResponseMessage response = await http.PostAsJsonAsync(removed, new { name = "Cleo" });
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        }

        // Done needs the cookie too; then the secret is gone from every file in the data folder and from memory.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(http, HttpMethod.Post, $"/api/devices/{ada.Hex}/migration/done", bo.Cookie)).StatusCode);
        Assert.NotEmpty(SecretIn(data, ada));
        using (HttpResponseMessage done = await Send(http, HttpMethod.Post, $"/api/devices/{ada.Hex}/migration/done", ada.Cookie))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        Assert.Empty(SecretIn(data, ada));
        Assert.NotEmpty(SecretIn(data, bo)); // the scan finds a secret that is still there
        Assert.False(File.Exists(Path.Combine(data, "people.json.new")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "people.json")));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, HttpMethod.Get, $"/api/devices/{ada.Hex}/migration", ada.Cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, HttpMethod.Post, $"/api/devices/{ada.Hex}/migration/done", ada.Cookie)).StatusCode);
        Assert.Equal(new[] { bo.Hex }, (await http.GetFromJsonAsync<JsonElement>("/api/migrations")).EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        gateway.Kill9();
        Restart(gateway);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, HttpMethod.Get, $"/api/devices/{ada.Hex}/migration", ada.Cookie)).StatusCode);
        using (HttpResponseMessage stillBo = await Send(http, HttpMethod.Get, $"/api/devices/{bo.Hex}/migration", bo.Cookie))
        {
            Assert.Equal(bo.Code, (await stillBo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("backupCode").GetString());
        }

        // The last one done: the file is deleted, and nothing of either secret is left.
        Assert.Equal(HttpStatusCode.OK, (await Send(http, HttpMethod.Post, $"/api/devices/{bo.Hex}/migration/done", bo.Cookie)).StatusCode);
        Assert.False(File.Exists(Path.Combine(data, "people.json")));
        Assert.Empty(SecretIn(data, bo));
        gateway.Kill9();
        Restart(gateway);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("/api/migrations")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, HttpMethod.Get, $"/api/devices/{bo.Hex}/migration", bo.Cookie)).StatusCode);
        Assert.Empty(SecretIn(data, ada));
        Assert.Empty(SecretIn(data, bo));
    }

    [Fact]
    public async Task A_people_file_that_cannot_be_read_is_reported_by_name_and_left_alone_and_the_gateway_starts()
    {
        string data = Path.Combine(_folder.Path, "bad");
        Directory.CreateDirectory(data);
        string file = Path.Combine(data, "people.json");
        const string broken = "[ { \"name\": \"Ada\", \"backupCode\": ";
        await File.WriteAllTextAsync(file, broken);
        using var gateway = new GatewayProcess("bad", data, FreePort.Tcp(), "off");
        gateway.StartDetached();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };

        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("/api/migrations")).EnumerateArray());
        Assert.Equal(broken, await File.ReadAllTextAsync(file));
        Assert.Contains($"{file} is not a readable people file", await File.ReadAllTextAsync(Path.Combine(data, "gateway.log")));
    }

    [Fact]
    public void The_people_file_reader_throws_a_typed_error_naming_the_file_and_skips_nothing_silently()
    {
        string file = Path.Combine(_folder.Path, "people.json");
        var people = new PeopleFile(file);
        Assert.Empty(people.Load()); // no file: nobody

        foreach (string text in new[] { "{not json", "{\"name\":\"an object, not a list\"}", "[1, 2]", "[{\"name\": 5}]" })
        {
            File.WriteAllText(file, text);
            PeopleFileException e = Assert.Throws<PeopleFileException>(people.Load);
            Assert.Equal(file, e.Path);
            Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
        }

        using (FileStream huge = File.Create(file))
        {
            huge.SetLength(PeopleFile.MaxBytes + 1);
        }

        Assert.Contains("more than", Assert.Throws<PeopleFileException>(people.Load).Message);
        File.WriteAllText(file, "[null, {\"name\": \"no code\"}]");
        Assert.Equal(new[] { new PersonRecord("no code", null, null, null, null, null) }, people.Load());
    }

    private static void Restart(GatewayProcess gateway)
    {
        gateway.Launch();
        MosquittoBroker.WaitUntil(() => gateway.Health() is not null, TimeSpan.FromSeconds(30), "the gateway to answer /health");
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? cookie)
    {
        var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The files under <paramref name="folder"/> holding any form of the person's secret: the backup code (grouped or not), the root secret as raw bytes, hex or base64.</summary>
    private static List<string> SecretIn(string folder, Person person)
    {
        byte[][] forms =
        [
            person.Root,
            .. new[]
            {
                person.Code,
                person.Code.Replace("-", "", StringComparison.Ordinal),
                Convert.ToHexStringLower(person.Root),
                Convert.ToHexString(person.Root),
                Convert.ToBase64String(person.Root),
                Convert.ToBase64String(person.Root).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            }.SelectMany(t => new[] { Encoding.UTF8.GetBytes(t), Encoding.Unicode.GetBytes(t) }),
        ];
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f =>
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(f);
            }
            catch (IOException) when (Path.GetFileName(f) == DataDirectoryLock.FileName)
            {
                // The running gateway holds an exclusive flock on it, which a .NET read collides with; it must hold no bytes at all.
                return new FileInfo(f).Length != 0;
            }

            return forms.Any(form => bytes.AsSpan().IndexOf(form) >= 0);
        })];
    }

    /// <summary>Someone an earlier release hosted: a fresh identity and the access key their browser's cookie holds.</summary>
    private sealed class Person
    {
        public Person(string name)
        {
            Name = name;
            Root = RandomNumberGenerator.GetBytes(NodeIdentity.RootSecretSize);
            NodeIdentity identity = NodeIdentity.FromRootSecret(Root);
            Id = identity.Id;
            Code = BackupCode.Create(identity);
            Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        public string Name { get; }

        public byte[] Root { get; }

        public uint Id { get; }

        public string Hex => Id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

        public string Code { get; }

        public string Key { get; }

        public string KeyHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));

        public string Cookie => $"mm_key_{Hex}={Key}";
    }
}
