namespace Ablations.Core.Store;

/// <summary>The store cannot be opened or written (read-only file, locked past the busy timeout, no server): a message for people.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
