// A small app built on Wacht's own React SDK, mounted the way an app mounts it: everything it
// shows comes from the SDK's provider and hooks talking to Tenantry. `@wacht/jsx` is the SDK
// checkout's source (bundler alias, see bundle.mjs); nothing here reaches the server by itself.
// The check (check.mjs) calls the hooks' functions through window.wachtCheck and reads what the
// hooks return from the page (<pre id="state">), so every assertion is about the SDK's view.
import { useEffect, useRef } from "react";
import { createRoot } from "react-dom/client";
import {
    DeploymentProvider,
    SignInForm,
    useActiveOrganization,
    useActiveWorkspace,
    useDeployment,
    useInvitation,
    useOrganizationList,
    useOrganizationMemberships,
    useSession,
    useSignIn,
    useUser,
    useWorkspaceList,
} from "@wacht/jsx";

declare global {
    interface Window {
        wachtCheck?: Record<string, (...args: any[]) => Promise<unknown>>;
        wachtNavigations: string[];
    }
}

const params = new URLSearchParams(window.location.search);
// The publishable key names the backend: pk_test_ + base64(origin) (staging: the __dev_session__ mode).
const publicKey = params.get("pk") ?? "";
window.wachtNavigations = [];

// The SDK navigates through the platform adapter (after sign-out, to sign-in pages...): recorded, not followed,
// so the page and its state stay for the check to read.
const adapter = {
    useNavigate: () => (to: string) => {
        window.wachtNavigations.push(to);
    },
};

function errorText(error: unknown): string | null {
    if (!error) return null;
    return error instanceof Error ? error.message : String(error);
}

function Harness() {
    const { deployment, loading: deploymentLoading } = useDeployment();
    const session = useSession();
    const signIn = useSignIn();
    const user = useUser();
    const organizationMemberships = useOrganizationMemberships();
    const organizationList = useOrganizationList();
    const activeOrganization = useActiveOrganization();
    const workspaceList = useWorkspaceList();
    const activeWorkspace = useActiveWorkspace();
    const invitation = useInvitation();

    // The hooks' latest values: the functions below read them when they are called, not when they were made.
    const hooks = useRef({ session, signIn, user, organizationMemberships, organizationList, activeOrganization, workspaceList, activeWorkspace, invitation });
    hooks.current = { session, signIn, user, organizationMemberships, organizationList, activeOrganization, workspaceList, activeWorkspace, invitation };

    useEffect(() => {
        const h = () => hooks.current;
        // What an app does after signing in or out, or joining: read the session, the user and the lists again.
        // A failed read (the user after signing out) shows in the hooks' error, not here.
        const refreshAll = async () => {
            for (const read of [h().session.refetch, h().user.user.refetch, h().organizationMemberships.refetch, h().workspaceList.refetch]) {
                await Promise.resolve(read()).catch(() => undefined);
            }
        };
        // While a hook loads (after a sign-in or a switch), the SDK hands out placeholders for its functions:
        // wait until it has loaded, as a screen waits for its next render, before calling one.
        const loaded = async <K extends "activeOrganization" | "activeWorkspace">(key: K) => {
            for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((r) => setTimeout(r, 25))) {
                if (!h()[key].loading) return h()[key];
            }
            throw new Error(`${key} is still loading after 10 s`);
        };
        window.wachtCheck = {
            refreshAll,
            signInWithEmail: async (email: string, password: string) => {
                const signInHook = h().signIn;
                if (signInHook.loading) throw new Error("useSignIn is still loading");
                const result = await signInHook.signIn.createStrategy("email")({ email, password });
                await refreshAll();
                return result.data?.signin_attempts?.at(-1) ?? null;
            },
            completeSignInVerification: async (code: string) => {
                const signInHook = h().signIn;
                if (signInHook.loading) throw new Error("useSignIn is still loading");
                const session = await signInHook.signIn.completeVerification(code);
                await refreshAll();
                return session.signin_attempts?.at(-1) ?? null;
            },
            setupAuthenticator: async () => await h().user.setupAuthenticator(),
            verifyAuthenticator: async (id: string, codes: string[]) => (await h().user.verifyAuthenticator(id, codes)).data,
            getToken: async () => {
                const s = h().session;
                if (s.loading) throw new Error("useSession is still loading");
                return await s.getToken();
            },
            createOrganization: async (name: string) => {
                const created = await h().organizationList.createOrganization({ name } as never);
                // createOrganization reads the organizations and the session again, not the workspaces: the app does.
                await h().workspaceList.refetch();
                return created.data;
            },
            switchOrganization: async (organizationId: string) => {
                const s = h().session;
                if (s.loading) throw new Error("useSession is still loading");
                await s.switchOrganization(organizationId);
            },
            switchWorkspace: async (workspaceId: string) => {
                const s = h().session;
                if (s.loading) throw new Error("useSession is still loading");
                await s.switchWorkspace(workspaceId);
            },
            organizationMembers: async () => await (await loaded("activeOrganization")).getMembers(),
            organizationRoles: async () => await (await loaded("activeOrganization")).getRoles(),
            organizationInvitations: async () => await (await loaded("activeOrganization")).getInvitations(),
            addOrganizationMemberRole: async (member: any, role: any) => await (await loaded("activeOrganization")).addMemberRole(member, role),
            removeOrganizationMemberRole: async (member: any, role: any) => await (await loaded("activeOrganization")).removeMemberRole(member, role),
            removeOrganizationMember: async (member: any) => await (await loaded("activeOrganization")).removeMember(member),
            workspaceMembers: async () => await (await loaded("activeWorkspace")).getMembers(),
            workspaceRoles: async () => await (await loaded("activeWorkspace")).getRoles(),
            createWorkspaceRole: async (name: string, permissions: string[]) => await (await loaded("activeWorkspace")).createRole(name, permissions),
            addMemberRole: async (membershipId: string, roleId: string) => await (await loaded("activeWorkspace")).addMemberRole(membershipId, roleId),
            removeMemberRole: async (membershipId: string, roleId: string) => await (await loaded("activeWorkspace")).removeMemberRole(membershipId, roleId),
            removeMember: async (membershipId: string) => await (await loaded("activeWorkspace")).removeMember(membershipId),
            inviteToWorkspace: async (email: string) => await (await loaded("activeWorkspace")).inviteMember({ email }),
            workspaceInvitations: async () => await (await loaded("activeWorkspace")).getInvitations(),
            acceptInvitation: async (token: string) => {
                const answer = await h().invitation.acceptInvitation(token);
                await refreshAll();
                return answer;
            },
            signOut: async () => {
                const s = h().session;
                if (s.loading) throw new Error("useSession is still loading");
                await s.signOut();
                await refreshAll();
            },
        };
    }, []);

    const state = {
        deployment: deployment
            ? {
                  loading: deploymentLoading,
                  mode: deployment.mode,
                  backend_host: deployment.backend_host,
                  publishable_key: deployment.publishable_key,
                  app_name: deployment.ui_settings?.app_name,
                  organizations_enabled: deployment.b2b_settings?.organizations_enabled,
                  workspaces_enabled: deployment.b2b_settings?.workspaces_enabled,
                  workspace_permissions: deployment.b2b_settings?.workspace_permissions ?? [],
              }
            : { loading: deploymentLoading },
        session: {
            loading: session.loading,
            error: errorText(session.error),
            id: session.session?.id ?? null,
            active_signin: session.session?.active_signin
                ? {
                      id: session.session.active_signin.id,
                      user_id: session.session.active_signin.user_id,
                      active_organization_membership_id: session.session.active_signin.active_organization_membership_id,
                      active_workspace_membership_id: session.session.active_signin.active_workspace_membership_id,
                  }
                : null,
        },
        signin_attempt: signIn.signinAttempt
            ? { id: signIn.signinAttempt.id, completed: signIn.signinAttempt.completed, current_step: signIn.signinAttempt.current_step }
            : null,
        user: {
            loading: user.loading,
            error: errorText(user.error),
            id: user.user?.id ?? null,
            first_name: user.user?.first_name ?? null,
            last_name: user.user?.last_name ?? null,
            email: user.user?.primary_email_address?.email ?? null,
            second_factor_policy: user.user?.second_factor_policy ?? null,
        },
        organizations: (organizationMemberships.organizationMemberships ?? []).map((m) => ({
            membership_id: m.id,
            id: m.organization.id,
            name: m.organization.name,
            roles: m.roles.map((r) => r.name),
        })),
        active_organization: activeOrganization.activeOrganization
            ? { id: activeOrganization.activeOrganization.id, name: activeOrganization.activeOrganization.name }
            : null,
        workspaces: (workspaceList.workspaces ?? []).map((w) => ({ id: w.id, name: w.name, organization: w.organization?.name ?? null })),
        active_workspace: activeWorkspace.activeWorkspace
            ? {
                  id: activeWorkspace.activeWorkspace.id,
                  name: activeWorkspace.activeWorkspace.name,
                  roles: activeWorkspace.activeMembership?.roles.map((r) => r.name) ?? [],
              }
            : null,
        invitation: { data: invitation.invitationData, error: invitation.error },
    };

    return (
        <main>
            <h1>{state.deployment && "app_name" in state.deployment ? state.deployment.app_name : "…"}</h1>
            <p data-testid="signed-in-as">{state.user.first_name ?? "signed out"}</p>
            <pre id="state">{JSON.stringify(state, null, 1)}</pre>
        </main>
    );
}

function App() {
    const view = params.get("view");
    return (
        <DeploymentProvider publicKey={publicKey} adapter={adapter}>
            {view === "signin-form" && <SignInForm />}
            <Gate />
        </DeploymentProvider>
    );
}

// useDeployment throws until the deployment is loaded, so the harness mounts after it (as the SDK's own DeploymentInitialized does).
function Gate() {
    try {
        const { loading } = useDeployment();
        return loading ? <p id="booting">loading the deployment…</p> : <Harness />;
    } catch (error) {
        return <p id="boot-error">{errorText(error)}</p>;
    }
}

createRoot(document.getElementById("root")!).render(<App />);
