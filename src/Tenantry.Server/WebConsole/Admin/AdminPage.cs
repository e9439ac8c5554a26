using Microsoft.AspNetCore.Components;

namespace Tenantry.Server.WebConsole.Admin;

/// <summary>A page of the operator area: shown only with a valid operator cookie, otherwise it sends the browser to the key form.</summary>
public abstract class AdminPage : ConsolePage
{
    [Inject]
    public OperatorSession Operators { get; set; } = default!;

    protected bool IsOperator { get; private set; }

    protected bool RequireOperator()
    {
        IsOperator = Operators.IsOperator(Http);
        if (!IsOperator)
        {
            Navigation.NavigateTo(OperatorSession.Path);
        }
        return IsOperator;
    }
}
