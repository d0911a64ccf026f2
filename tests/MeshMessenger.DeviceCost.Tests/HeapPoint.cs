namespace MeshMessenger.DeviceCost;

/// <summary>Retained managed heap above the baseline after <see cref="Messages"/> received messages.</summary>
public sealed record HeapPoint(int Messages, long RetainedBytes, int MessagesHeld, int EntriesStored, int RadioQueue);
