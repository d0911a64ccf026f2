using System.Security.Cryptography;
using System.Text;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// How the bridge logs in to its broker: a client id nobody can guess, and a user name and password (the
/// embedded broker's credential, made on first start, or the external broker's settings).
/// </summary>
public sealed class BridgeLogin
{
    /// <summary>The user name the embedded broker accepts, with the password in <see cref="PasswordFileName"/>.</summary>
    public const string EmbeddedUserName = "meshmsg";

    /// <summary>File in the data directory holding the embedded broker's password (mode 0600).</summary>
    public const string PasswordFileName = "broker.password";

    private static readonly byte[] ClientIdLabel = Encoding.ASCII.GetBytes("meshmsg gateway mqtt client id v1");

    /// <summary>Creates a login.</summary>
    public BridgeLogin(string clientId, string? userName, string? password)
    {
        ClientId = clientId;
        UserName = userName;
        Password = password;
    }

    /// <summary>The bridge's MQTT client id: Gateway:Name, '-', and 16 hex digits derived from the gateway's key.</summary>
    public string ClientId { get; }

    /// <summary>User name to connect with, or null to connect anonymously.</summary>
    public string? UserName { get; }

    /// <summary>Password to connect with.</summary>
    public string? Password { get; }

    /// <summary>
    /// The bridge's login for these settings. In embedded mode the broker credential is read from
    /// <see cref="PasswordFileName"/> in the data directory, or made there on first start.
    /// </summary>
    public static BridgeLogin For(GatewayOptions options, NodeIdentity identity) =>
        options.Mqtt.Mode == "embedded"
            ? new BridgeLogin(ClientIdFor(options.Name, identity), EmbeddedUserName, LoadOrCreatePassword(options.DataDirectory))
            : new BridgeLogin(ClientIdFor(options.Name, identity), options.Mqtt.Username, options.Mqtt.Password);

    /// <summary>
    /// The client id of a gateway named <paramref name="name"/> with <paramref name="identity"/>. A broker
    /// hands a client's session to whoever connects with its id (MQTT 5.0 §3.1.4), so the id must not be
    /// guessable: it carries HKDF-SHA256 (RFC 5869) of the gateway's root secret under a fixed label. It is
    /// derived rather than random so it stays the same across restarts and the persistent session resumes.
    /// </summary>
    public static string ClientIdFor(string name, NodeIdentity identity)
    {
        byte[] root = identity.ExportRootSecret();
        try
        {
            byte[] tag = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 8, salt: [], info: ClientIdLabel);
            return $"{name}-{Convert.ToHexStringLower(tag)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(root);
        }
    }

    /// <summary>True when <paramref name="userName"/> and <paramref name="password"/> are this login's credential (compared in constant time).</summary>
    public bool Accepts(string? userName, byte[]? password) =>
        UserName is not null && Password is not null && userName == UserName && password is not null
        && CryptographicOperations.FixedTimeEquals(password, Encoding.UTF8.GetBytes(Password));

    private static string LoadOrCreatePassword(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, PasswordFileName);
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path).Trim();
            if (existing.Length < 32)
            {
                throw new ConfigurationException([$"Gateway:DataDirectory: '{path}' holds no broker password (32 characters or more); delete it to make a new one, then give the new one to gateways that federate through this broker"]);
            }

            return existing;
        }

        Directory.CreateDirectory(dataDirectory);
        string password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        // Created owner-only before the secret is written, like gateway.key.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, create))
        {
            writer.Write(password + "\n");
        }

        return password;
    }
}
