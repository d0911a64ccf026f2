using System.Text.Json;
using System.Text.Json.Nodes;
using MeshMessenger.Wallet;

namespace MeshMessenger.Cli.Host;

/// <summary>
/// The wallet's record, next to the identity file (<c>NAME.addresses.json</c> for <c>NAME.json</c>), of the highest
/// receive and change index handed out per UTXO chain: <c>{"litecoin": {"receive": 3, "change": 1}}</c>. A node
/// without a wallet sees only unspent outputs, so without this record an address paid and then spent would read as
/// unused and be handed out again. Holds no keys and no amounts.
/// </summary>
public sealed class HandedOutAddresses
{
    private readonly string _path;
    private readonly JsonObject _root;

    private HandedOutAddresses(string path, JsonObject root)
    {
        _path = path;
        _root = root;
    }

    /// <summary>The record's path for an identity file.</summary>
    public static string PathFor(string identityPath)
    {
        string full = Path.GetFullPath(identityPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".addresses.json");
    }

    /// <summary>Reads the record of <paramref name="identityPath"/> (empty if there is none yet).</summary>
    public static HandedOutAddresses Load(string identityPath)
    {
        string path = PathFor(identityPath);
        if (!File.Exists(path))
        {
            return new HandedOutAddresses(path, []);
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject root
                ? new HandedOutAddresses(path, root)
                : throw new WalletException(WalletError.NotFound, $"{path} is not a JSON object; move it away to start a new record");
        }
        catch (JsonException e)
        {
            throw new WalletException(WalletError.NotFound, $"{path} is not valid JSON ({e.Message}); move it away to start a new record");
        }
    }

    /// <summary>The highest index handed out on <paramref name="chain"/>'s receive (0) or change (1) addresses, -1 if none.</summary>
    public int Highest(string chain, int change)
    {
        JsonNode? value = _root[chain]?[Key(change)];
        return value is JsonValue number && number.TryGetValue(out int index) && index >= 0 ? index : -1;
    }

    /// <summary>Remembers <paramref name="index"/> as handed out (keeps the highest) and writes the file.</summary>
    public void Remember(string chain, int change, int index)
    {
        if (index <= Highest(chain, change))
        {
            return;
        }

        if (_root[chain] is not JsonObject entry)
        {
            entry = [];
            _root[chain] = entry;
        }

        entry[Key(change)] = index;
        string temporary = _path + ".tmp";
        File.WriteAllText(temporary, _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, _path, overwrite: true);
    }

    private static string Key(int change) => change == 0 ? "receive" : "change";
}
