namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Called by <see cref="Inbox.MessageAdded"/> (and <see cref="MessengerNode.MessageAdded"/>) once for each record the
/// inbox adds. A host uses it in place of scanning <see cref="MessengerNode.Messages"/>.
/// </summary>
public delegate void MessageHandler(MessageRecord record);
