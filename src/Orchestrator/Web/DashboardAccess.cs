using Hangfire.Dashboard;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// Who may see the Hangfire dashboard: anyone the token gate lets in (Hangfire's default filter would allow
/// local requests only). It is read-only unless the request carries the token, so without a token configured
/// nobody can delete or requeue jobs from it.
/// </summary>
internal sealed class DashboardAccess(TokenGate gate) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => gate.Allows(context.GetHttpContext());

    public bool IsReadOnly(DashboardContext context) => !gate.Carries(context.GetHttpContext());
}
