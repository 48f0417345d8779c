using Ablations.Core.Store;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// What `ablate serve` serves and where: <see cref="Urls"/> as Kestrel reads them (';'-separated);
/// <see cref="AllowedHosts"/> are names requests may carry besides the bound addresses (--allowed-hosts).
/// </summary>
internal sealed record ServeOptions(Workspace Workspace, string Urls, string? Token, string ReportsDir, IReadOnlyList<string>? AllowedHosts = null);
