using System.CommandLine;
using System.Text;
using MeshMessenger.Cli.Demo;
using MeshMessenger.Cli.Host;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg demo</c>: two nodes running the protocol core exchange direct messages and receipts over a
/// shared channel; then Bob's device is wiped, restored from his backup code, and rebuilds its history
/// from Alice without reusing a sequence number.
/// </summary>
public static class DemoCommand
{
    public const string DefaultText =
        "Water pump at the school is fixed. Bring jerrycans tomorrow at 7, the queue was long today. Battery at 40%, solar panel needs cleaning. See you soon! -A";

    public static Command Create()
    {
        var text = new Option<string>("--text")
        {
            Description = "The first message Alice sends to Bob.",
            DefaultValueFactory = _ => DefaultText,
        };
        var command = new Command(
            "demo",
            "Two nodes exchange signed, end-to-end encrypted messages and receipts; one is wiped and rebuilds its history from the other.\n\n" +
            "Example:\n  meshmsg demo --text \"hello from the valley\"")
        {
            text,
        };
        command.SetAction(parse => Run(parse.GetValue(text) ?? DefaultText, AnsiConsole.Console));
        return command;
    }

    /// <summary>Runs the demo; returns 0 when every check holds, 1 otherwise.</summary>
    public static int Run(string text, IAnsiConsole console)
    {
        var checks = new List<(string Check, bool Held)>();
        var clock = new FixedClock(entrySeconds: 60_000_000);
        NodeIdentity aliceKey = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)1, 32).ToArray());
        NodeIdentity bobKey = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)2, 32).ToArray());
        string bobBackup = RecoveryPhrase.FromIdentity(bobKey).Text;

        var alice = new MessengerNode(aliceKey, "Alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: false);
        var bob = new MessengerNode(bobKey, "Bob", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: false);
        var link = new DemoLink(("Alice", alice), ("Bob", bob));

        var ids = new Table().AddColumns("node", "id", "contact card (QR text)");
        ids.AddRow("Alice", NodeId.ToText(alice.Id), Markup.Escape(ContactCard.Create(aliceKey, "Alice", null).ToText()));
        ids.AddRow("Bob", NodeId.ToText(bob.Id), Markup.Escape(ContactCard.Create(bobKey, "Bob", null).ToText()));
        console.Write(ids);
        checks.Add(("Alice and Bob add each other from contact cards", alice.AddContact(ContactCard.Create(bobKey, "Bob", null)) && bob.AddContact(ContactCard.Create(aliceKey, "Alice", null))));
        link.Run(); // genesis profiles

        int capacity = alice.SingleFrameTextCapacity();
        uint first = alice.SendText(bob.Id, text);
        console.MarkupLineInterpolated($"Alice → Bob, {Encoding.UTF8.GetByteCount(text)} bytes of text (one frame holds up to {capacity}): state [bold]{alice.Tracker.StateOf(first)}[/]");
        List<(string From, byte[] Frame)> carried = link.Run();
        byte[] dmFrame = carried.First(c => c.From == "Alice").Frame;
        console.MarkupLineInterpolated($"  on air: {carried.Count(c => c.From == "Alice")} frame(s) from Alice, the message frame is {dmFrame.Length} bytes (signed, sealed, ≤ 255)");
        checks.Add(("A ~150-byte signed, sealed DM fits one 255-byte LoRa frame", Encoding.UTF8.GetByteCount(text) > capacity || (carried.Count(c => c.From == "Alice") == 1 && dmFrame.Length <= FrameLimits.LoRa)));
        MessageRecord? received = bob.Messages.Cast<MessageRecord>().FirstOrDefault(m => m.Author == alice.Id && m.Sequence == first);
        console.MarkupLineInterpolated($"  Bob reads: [green]{received?.Text ?? "(nothing)"}[/]");
        checks.Add(("Bob verifies and opens Alice's message", received?.Text == text));
        console.MarkupLineInterpolated($"  Bob's delivery receipt reached Alice: state [bold]{alice.Tracker.StateOf(first)}[/]");
        checks.Add(("Alice sees Delivered from Bob's signed receipt", alice.Tracker.StateOf(first) == MessageState.Delivered));

        bob.MarkRead(alice.Id, first);
        link.Run();
        console.MarkupLineInterpolated($"  Bob opens the chat; his read receipt reaches Alice: state [bold]{alice.Tracker.StateOf(first)}[/]");
        checks.Add(("Alice sees Read from Bob's read receipt", alice.Tracker.StateOf(first) == MessageState.Read));

        uint reply = bob.SendText(alice.Id, "Thanks! I'll bring two jerrycans and the spare panel cable.");
        alice.SendText(bob.Id, "Great, see you at 7.");
        link.Run();
        checks.Add(("Bob's reply is delivered", bob.Tracker.StateOf(reply) == MessageState.Delivered));
        uint bobNext = bob.OwnChain.NextSequence;
        int bobHistory = bob.Messages.Count;
        console.MarkupLineInterpolated($"Bob's chain holds {bobNext} entries (messages and receipts); his device shows {bobHistory} messages.");

        // The wipe: same key (from the backup code), empty storage.
        link.Detach(bob);
        ProtocolError restore = BackupCode.TryRestore(bobBackup, out NodeIdentity? restoredKey);
        var wiped = new MessengerNode(restoredKey!, "Bob", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: true);
        console.MarkupLineInterpolated($"[yellow]Bob's device is wiped[/] and restored from his backup code ({restore}); it holds {wiped.Chains.Store.Count} entries, head known: {wiped.OwnChain.HeadKnown}");
        bool refused;
        try
        {
            wiped.SendText(alice.Id, "too early");
            refused = false;
        }
        catch (ProtocolException e)
        {
            refused = e.Message.Contains("head is not confirmed", StringComparison.Ordinal);
            console.MarkupLineInterpolated($"  sending before the chain is back is refused: [grey]{e.Message}[/]");
        }

        checks.Add(("A restored device refuses to append before it knows its head", restore == ProtocolError.None && refused));

        link.Attach("Bob (restored)", wiped);
        int syncFrames = link.Run().Count;
        // The device's settling time ends: only heads Alice's archive sends from now on vouch for the head, since
        // earlier ones may predate own entries it learns later (docs/protocol.md §8.3).
        wiped.FinishRestore();
        syncFrames += link.Run().Count;
        console.MarkupLineInterpolated($"  sync with Alice: {syncFrames} frames; Bob now holds {wiped.Chains.Store.Count} entries, shows {wiped.Messages.Count} messages, next sequence {wiped.OwnChain.NextSequence}");
        checks.Add(($"Bob rebuilt his history ({wiped.Messages.Count} of {bobHistory} messages)", wiped.Messages.Count == bobHistory));
        // His first entry after the restore is a resume entry that skips LocalChain.ResumeSkip sequences past his head, left
        // to own entries only their recipients held (docs/protocol.md §8.3); nothing below it is signed again.
        uint resumeAt = bobNext + LocalChain.ResumeSkip;
        bool resumed = wiped.Chains.Store.Get(bob.Id, resumeAt)?.Entry.Kind == EntryKind.Resume && wiped.Chains.Store.Get(bob.Id, bobNext) == null;
        checks.Add(($"Bob resumes at sequence {resumeAt}, past his old head {bobNext - 1}: no sequence reused", wiped.OwnChain.HeadKnown && resumed && wiped.OwnChain.NextSequence > resumeAt));

        uint back = wiped.SendText(alice.Id, "Back online after the reset. Did I miss anything?");
        link.Run();
        bool aliceGotIt = alice.Messages.Cast<MessageRecord>().Any(m => m.Author == bob.Id && m.Sequence == back);
        console.MarkupLineInterpolated($"  restored Bob → Alice at sequence {back}: state [bold]{wiped.Tracker.StateOf(back)}[/]; forks seen by Alice: {alice.Chains.Forks.Count}");
        checks.Add(("Alice accepts restored Bob's next message (no fork)", aliceGotIt && alice.Chains.Forks.Count == 0 && wiped.Tracker.StateOf(back) == MessageState.Delivered));

        var results = new Table().AddColumns("check", "result");
        foreach ((string check, bool held) in checks)
        {
            results.AddRow(Markup.Escape(check), held ? "[green]held[/]" : "[red]FAILED[/]");
        }

        console.Write(results);
        return checks.TrueForAll(c => c.Held) ? 0 : 1;
    }
}
