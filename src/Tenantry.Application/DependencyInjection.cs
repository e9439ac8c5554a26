using FluentValidation;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Invitations;
using Tenantry.Application.Outbox;
using Tenantry.Application.SecureChannels;
using Tenantry.Application.Security;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Access;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Application.Webhooks.Events;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.ListMemberships;
using Tenantry.Application.Workspaces.ListMine;

namespace Tenantry.Application;

public static class DependencyInjection
{
    /// <summary>Registers every use case (classes named *Handler), validator and the token machinery.</summary>
    public static IServiceCollection AddTenantryApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Passwords>();
        services.AddSingleton<AccountThrottle>();
        services.AddSingleton<AuthLockouts>();
        services.AddSingleton<PasswordAttempts>();
        services.AddSingleton<SecretsAtRest>();
        services.AddScoped<SecondFactor>();
        services.AddSingleton<SecureChannelKeys>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<SessionIssuer>();
        services.AddSingleton<Accounts.SignIn.SignInCompletion>();
        services.AddScoped<Accounts.PasswordReset.PasswordResets>();
        services.AddScoped<Accounts.Captcha.CaptchaPasses>();
        services.AddSingleton<SessionStates>();
        services.AddSingleton<MyWorkspacesCache>();
        services.AddSingleton<MyMembershipsCache>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddScoped<WorkspaceAccess>();
        services.AddScoped<InvitationEmails>();
        services.AddScoped<Accounts.EmailVerification.EmailVerifications>();
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<OutboxDispatcher>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookUrls>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookPace>();
        services.AddSingleton<ISaveChangesInterceptor, WebhookEventInterceptor>();
        services.AddScoped<IOutboxDeliverer, WebhookEventExpander>();
        services.AddScoped<WebhookDispatcher>();
        services.AddScoped<WebhookManagers>();
        services.AddValidatorsFromAssemblyContaining<SessionIssuer>(ServiceLifetime.Singleton);

        var handlers = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Handler", StringComparison.Ordinal));
        foreach (var handler in handlers)
        {
            services.AddScoped(handler);
        }
        return services;
    }
}
