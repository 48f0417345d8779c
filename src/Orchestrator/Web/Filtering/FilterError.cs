namespace Ablations.Orchestrator.Web.Filtering;

/// <summary>Why a filter was rejected, and where: <see cref="Position"/> is the 1-based character it points at.</summary>
internal sealed record FilterError(int Position, string Reason)
{
    public string Message => $"position {Position}: {Reason}";
}
