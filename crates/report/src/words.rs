//! The words for the assessment's vocabulary, from the catalogues: what a check found and why,
//! why objects do not synchronise or users cannot move, the actions, owners and efforts, the
//! assumptions, refusals and missing columns.
//!
//! Owns: the mapping from each typed value to its catalogue key and arguments. Must not touch:
//! layout, or any sentence of its own (every word comes from `lang/*.txt`; a test renders every
//! variant in both languages).

use crate::i18n::{Arg, Catalog};
use hybridready_assessment::{
    ActionKind, Assessment, Assumption, Cause, CheckId, CheckResult, Date, Dependencies,
    Dependency, Effort, Fact, Input, KitNote, MoveBlocker, Owner, Reason, Refusal, SectionStatus,
    Status, StepId, SyncReason, Verdict, WaveReason, dn_path,
};

fn n(v: u64) -> Arg {
    Arg::N(v)
}
fn s(v: &str) -> Arg {
    Arg::T(v.to_string())
}

/// A step's title (`Directory synchronisation`).
pub fn step_title(t: &Catalog, id: StepId) -> String {
    t.get(&format!("step.{}.title", id.as_str())).to_string()
}

/// A check's title, which states its requirement.
pub fn check_title(t: &Catalog, id: CheckId) -> String {
    t.get(&format!("check.{}", id.as_str())).to_string()
}

/// `U01 Every Skype for Business user synchronises`.
pub fn check_name(t: &Catalog, id: CheckId) -> String {
    format!("{} {}", id.as_str(), check_title(t, id))
}

/// A step's status as a label (`Blocked`).
pub fn step_status(t: &Catalog, s: Status) -> String {
    t.get(&format!("status.{}", s.as_str())).to_string()
}

/// A check's status as a label (`Failed`).
pub fn check_status(t: &Catalog, s: Status) -> String {
    t.get(&format!("check.status.{}", s.as_str())).to_string()
}

pub fn verdict(t: &Catalog, v: Verdict) -> String {
    t.get(&format!("verdict.{}", v.as_str())).to_string()
}

/// An OU or a domain as the report names it: the path a reader says (`contoso.com/Staff`).
pub fn place(dn: &str) -> String {
    let p = dn_path(dn);
    if p.is_empty() { dn.to_string() } else { p }
}

/// What a check found: its fact, then its causes.
pub fn check_message(t: &Catalog, c: &CheckResult) -> String {
    let fact = fact(t, &c.fact);
    if c.causes.is_empty() {
        return fact;
    }
    t.msg(
        "check.with_causes",
        &[
            ("fact", s(&fact)),
            ("causes", s(&t.list(c.causes.iter().map(|k| cause(t, k))))),
        ],
    )
}

/// A cause, with its count when it has one.
pub fn cause(t: &Catalog, c: &Cause) -> String {
    let r = reason(t, &c.reason);
    if c.count == 0 {
        r
    } else {
        t.msg("cause.counted", &[("reason", s(&r)), ("count", n(c.count))])
    }
}

/// What a check found, with its totals.
pub fn fact(t: &Catalog, f: &Fact) -> String {
    use Fact as F;
    let key = |k: &str| format!("fact.{k}");
    match f {
        F::NotProvided { inputs: i } => {
            t.msg(&key("not_provided"), &[("inputs", s(&inputs(t, i)))])
        }
        F::TenantDeclared {
            name,
            initial_domain,
        } => {
            let parts: Vec<String> = [name, initial_domain]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            t.msg(&key("tenant_declared"), &[("tenant", s(&parts.join(", ")))])
        }
        F::TeamsEnabled => t.msg(&key("teams_enabled"), &[]),
        F::TeamsDisabled => t.msg(&key("teams_disabled"), &[]),
        F::OneTenant => t.msg(&key("one_tenant"), &[]),
        F::TenantsPaired { count } => t.msg(&key("tenants_paired"), &[("count", n(*count))]),
        F::SipDomainsVerified { domains } => {
            t.msg(&key("sip_domains_verified"), &[("domains", n(*domains))])
        }
        F::SipDomainsUnverified {
            domains,
            users,
            verified_list,
        } => {
            let mut m = t.msg(
                &key("sip_domains_unverified"),
                &[("domains", n(*domains)), ("users", n(*users))],
            );
            if !verified_list {
                m = t.msg(
                    "fact.with_note",
                    &[
                        ("fact", s(&m)),
                        ("note", s(t.get("fact.verified_list_missing"))),
                    ],
                );
            }
            m
        }
        F::UpnSuffixesVerified => t.msg(&key("upn_suffixes_verified"), &[]),
        F::UpnSuffixesUnverified {
            users,
            domains,
            becomes,
        } => t.msg(
            &key("upn_suffixes_unverified"),
            &[
                ("users", n(*users)),
                ("domains", n(*domains)),
                (
                    "becomes",
                    s(becomes
                        .as_deref()
                        .unwrap_or(t.get("fact.initial_domain_unknown"))),
                ),
            ],
        ),
        F::SmtpDomainsVerified => t.msg(&key("smtp_domains_verified"), &[]),
        F::SmtpDomainsUnverified { objects, domains } => t.msg(
            &key("smtp_domains_unverified"),
            &[("objects", n(*objects)), ("domains", n(*domains))],
        ),
        F::OneSfbForest => t.msg(&key("one_sfb_forest"), &[]),
        F::SfbForests { count } => t.msg(&key("sfb_forests"), &[("count", n(*count))]),
        F::NoDisabledDomainWithOnlineUsers => {
            t.msg(&key("no_disabled_domain_with_online_users"), &[])
        }
        F::DisabledDomainsWithOnlineUsers { domains, users } => t.msg(
            &key("disabled_domains_with_online_users"),
            &[("domains", n(*domains)), ("users", n(*users))],
        ),
        F::OnPremisesUsersSync { users } => {
            t.msg(&key("on_premises_users_sync"), &[("users", n(*users))])
        }
        F::OnPremisesUsersUnsynced { users } => {
            t.msg(&key("on_premises_users_unsynced"), &[("users", n(*users))])
        }
        F::OnlineUsersSynced { users } => {
            t.msg(&key("online_users_synced"), &[("users", n(*users))])
        }
        F::OnlineUsersUnsynced { users } => {
            t.msg(&key("online_users_unsynced"), &[("users", n(*users))])
        }
        F::NoBlockingFinding => t.msg(&key("no_blocking_finding"), &[]),
        F::ObjectsBlocked { objects } => {
            t.msg(&key("objects_blocked"), &[("objects", n(*objects))])
        }
        F::SfbAttributesPresent => t.msg(&key("sfb_attributes_present"), &[]),
        F::SfbAttributesMissing { users } => {
            t.msg(&key("sfb_attributes_missing"), &[("users", n(*users))])
        }
        F::NoSharedValues => t.msg(&key("no_shared_values"), &[]),
        F::SharedValues { users } => t.msg(&key("shared_values"), &[("users", n(*users))]),
        F::SyncScopeComplete => t.msg(&key("sync_scope_complete"), &[]),
        F::SyncScopeIncomplete => t.msg(&key("sync_scope_incomplete"), &[]),
        F::SfbAttributesKept => t.msg(&key("sfb_attributes_kept"), &[]),
        F::SfbAttributesDropped { attributes } => t.msg(
            &key("sfb_attributes_dropped"),
            &[("attributes", s(&t.list(attributes.iter().cloned())))],
        ),
        F::DeploymentLocatorSynced => t.msg(&key("deployment_locator_synced"), &[]),
        F::DeploymentLocatorDropped => t.msg(&key("deployment_locator_dropped"), &[]),
        F::SingleForest => t.msg(&key("single_forest"), &[]),
        F::NoResourceForestUser => t.msg(&key("no_resource_forest_user"), &[]),
        F::ResourceForestUsersMatch { users } => {
            t.msg(&key("resource_forest_users_match"), &[("users", n(*users))])
        }
        F::ResourceForestUsersUnmatched { users } => t.msg(
            &key("resource_forest_users_unmatched"),
            &[("users", n(*users))],
        ),
        F::SyncDatabaseFits { objects } => {
            t.msg(&key("sync_database_fits"), &[("objects", n(*objects))])
        }
        F::SyncDatabaseTooSmall { objects } => {
            t.msg(&key("sync_database_too_small"), &[("objects", n(*objects))])
        }
        F::TopologySupported { versions } => t.msg(
            &key("topology_supported"),
            &[("versions", s(&t.list(versions.iter().cloned())))],
        ),
        F::TopologyUnsupported => t.msg(&key("topology_unsupported"), &[]),
        F::BuildsRecentEnough => t.msg(&key("builds_recent_enough"), &[]),
        F::BuildsTooOld => t.msg(&key("builds_too_old"), &[]),
        F::HybridVoiceOn { version } => t.msg(&key("hybrid_voice_on"), &[("version", s(version))]),
        F::HybridVoiceNotPlanned => t.msg(&key("hybrid_voice_not_planned"), &[]),
        F::HybridVoiceEdgeTooOld { version } => t.msg(
            &key("hybrid_voice_edge_too_old"),
            &[("version", s(version))],
        ),
        F::AccessEdgeReady => t.msg(&key("access_edge_ready"), &[]),
        F::AccessEdgeNotReady => t.msg(&key("access_edge_not_ready"), &[]),
        F::HostingProviderReady => t.msg(&key("hosting_provider_ready"), &[]),
        F::HostingProviderNotReady => t.msg(&key("hosting_provider_not_ready"), &[]),
        F::SharedSipAddressSpaceOn => t.msg(&key("shared_sip_address_space_on"), &[]),
        F::SharedSipAddressSpaceOff => t.msg(&key("shared_sip_address_space_off"), &[]),
        F::FederationParity => t.msg(&key("federation_parity"), &[]),
        F::FederationMismatch => t.msg(&key("federation_mismatch"), &[]),
        F::OneEdgePool => t.msg(&key("one_edge_pool"), &[]),
        F::EdgePools { count } => t.msg(&key("edge_pools"), &[("count", n(*count))]),
        F::DnsReady => t.msg(&key("dns_ready"), &[]),
        F::DnsNotReady => t.msg(&key("dns_not_ready"), &[]),
        F::MoveToolingReady => t.msg(&key("move_tooling_ready"), &[]),
        F::MoveToolingNotReady => t.msg(&key("move_tooling_not_ready"), &[]),
        F::OneHybridForest => t.msg(&key("one_hybrid_forest"), &[]),
        F::HybridForests { count } => t.msg(&key("hybrid_forests"), &[("count", n(*count))]),
        F::ServersSupported => t.msg(&key("servers_supported"), &[]),
        F::ServersOutOfSupport { servers } => {
            t.msg(&key("servers_out_of_support"), &[("servers", n(*servers))])
        }
        F::HybridApplicationBuilds => t.msg(&key("hybrid_application_builds"), &[]),
        F::HybridApplicationToVerify { servers } => t.msg(
            &key("hybrid_application_to_verify"),
            &[("servers", n(*servers))],
        ),
        F::ConnectVersionCurrent { version } => {
            t.msg(&key("connect_version_current"), &[("version", s(version))])
        }
        F::ConnectVersionStopping {
            version,
            minimum,
            stops_on,
        }
        | F::ConnectVersionStopped {
            version,
            minimum,
            stops_on,
        } => {
            let which = if matches!(f, F::ConnectVersionStopping { .. }) {
                "connect_version_stopping"
            } else {
                "connect_version_stopped"
            };
            let day = Date::parse_iso(stops_on).map_or_else(|| stops_on.clone(), |d| t.date(d));
            t.msg(
                &key(which),
                &[
                    ("version", s(version)),
                    ("minimum", s(minimum)),
                    ("date", s(&day)),
                ],
            )
        }
        F::NoPilot => t.msg(&key("no_pilot"), &[]),
        F::PilotMovable { users } => t.msg(&key("pilot_movable"), &[("users", n(*users))]),
        F::PilotBlocked { users, total } => t.msg(
            &key("pilot_blocked"),
            &[("users", n(*users)), ("total", n(*total))],
        ),
        F::PilotAllSfbOnPremises => t.msg(&key("pilot_all_sfb_on_premises"), &[]),
        F::PilotNotSfbOnPremises { users } => {
            t.msg(&key("pilot_not_sfb_on_premises"), &[("users", n(*users))])
        }
        F::LicencesAssigned => t.msg(&key("licences_assigned"), &[]),
        F::LicencesGivenByScenario => t.msg(&key("licences_given_by_scenario"), &[]),
        F::UsersUnlicensed { users } => t.msg(&key("users_unlicensed"), &[("users", n(*users))]),
        F::NoVoiceUserToMove => t.msg(&key("no_voice_user_to_move"), &[]),
        F::VoiceUsersLicensed { users } => {
            t.msg(&key("voice_users_licensed"), &[("users", n(*users))])
        }
        F::VoiceUsersUnlicensed { users } => {
            t.msg(&key("voice_users_unlicensed"), &[("users", n(*users))])
        }
        F::NoBreak => t.msg(&key("no_break"), &[]),
        F::Broken {
            pairs,
            unsynced,
            online,
        } => t.msg(
            &key("broken"),
            &[
                ("pairs", n(*pairs)),
                ("unsynced", n(*unsynced)),
                ("online", n(*online)),
            ],
        ),
        F::MovesKeepContacts => t.msg(&key("moves_keep_contacts"), &[]),
        F::MovesWithForce => t.msg(&key("moves_with_force"), &[]),
        F::SignInReminder => t.msg(&key("sign_in_reminder"), &[]),
        F::WavesPlanned {
            users,
            waves,
            size,
            kept,
        } => t.msg(
            &key("waves_planned"),
            &[
                ("users", n(*users)),
                ("waves", n(*waves)),
                ("size", n(*size)),
                ("kept", n(*kept)),
            ],
        ),
        F::UsersStranded { users } => t.msg(&key("users_stranded"), &[("users", n(*users))]),
        F::NoCloudOnlyUser { users } => t.msg(&key("no_cloud_only_user"), &[("users", n(*users))]),
        F::CloudOnlyUsers { users, examples } => t.msg(
            &key("cloud_only_users"),
            &[("users", n(*users)), ("examples", s(&examples.join(", ")))],
        ),
        F::DelegatesTogether => t.msg(&key("delegates_together"), &[]),
        F::DelegatesSplit { pairs } => t.msg(&key("delegates_split"), &[("pairs", n(*pairs))]),
        F::IslandsReachable { mode } => t.msg(&key("islands_reachable"), &[("mode", s(mode))]),
        F::IslandsMissChats { mode } => t.msg(&key("islands_miss_chats"), &[("mode", s(mode))]),
        F::NoUnifiedContactStore => t.msg(&key("no_unified_contact_store"), &[]),
        F::UnifiedContactStore => t.msg(&key("unified_contact_store"), &[]),
        F::ModesFit => t.msg(&key("modes_fit"), &[]),
        F::ModesMisfit => t.msg(&key("modes_misfit"), &[]),
        F::ContactsToTeams => t.msg(&key("contacts_to_teams"), &[]),
        F::UserModesGiven => t.msg(&key("user_modes_given"), &[]),
        F::OtherForestsFederate => t.msg(&key("other_forests_federate"), &[]),
        F::OtherForestsBreak { forests } => {
            t.msg(&key("other_forests_break"), &[("forests", n(*forests))])
        }
    }
}

/// What a check needed and did not get.
pub fn input(t: &Catalog, i: &Input) -> String {
    match i {
        Input::ScenarioKey(k) => t.msg("input.scenario_key", &[("name", s(k))]),
        Input::Column(c) => t.msg("input.column", &[("name", s(c))]),
        Input::Licences => t.msg("input.licences", &[]),
        Input::BuildsOf(v) => t.msg(
            "input.builds_of",
            &[("versions", s(&t.list(v.iter().cloned())))],
        ),
        Input::OnlineUsersExport => t.msg("input.online_users_export", &[]),
        Input::ContactCounts => t.msg("input.contact_counts", &[]),
        Input::UserModes => t.msg("input.user_modes", &[]),
    }
}

pub fn inputs(t: &Catalog, v: &[Input]) -> String {
    t.list(v.iter().map(|i| input(t, i)))
}

/// One reason a check's totals hold.
pub fn reason(t: &Catalog, r: &Reason) -> String {
    use Reason as R;
    let key = |k: &str| format!("reason.{k}");
    match r {
        R::NotSynced { why } => sync_reason(t, why),
        R::CannotMove { why } => move_blocker(t, why),
        R::UnverifiedDomain {
            domain,
            non_routable,
        } => {
            let k = if *non_routable {
                "unverified_domain_non_routable"
            } else {
                "unverified_domain"
            };
            t.msg(&key(k), &[("domain", s(domain))])
        }
        R::RuleBlocks { rule } => t.msg(&key("rule_blocks"), &[("rule", s(rule))]),
        R::MissingAttribute { attribute } => {
            t.msg(&key("missing_attribute"), &[("attribute", s(attribute))])
        }
        R::DomainNotSynced { domain } => t.msg(&key("domain_not_synced"), &[("domain", s(domain))]),
        R::SyncInstances { count } => t.msg(&key("sync_instances"), &[("count", n(*count))]),
        R::DisabledDomain { domain } => t.msg(&key("disabled_domain"), &[("domain", s(domain))]),
        R::Lync2010 => t.msg(&key("lync2010"), &[]),
        R::TooManyVersions { count } => t.msg(&key("too_many_versions"), &[("count", n(*count))]),
        R::VersionPair { first, second } => t.msg(
            &key("version_pair"),
            &[("first", s(first)), ("second", s(second))],
        ),
        R::OutOfSupport { version } => t.msg(&key("out_of_support"), &[("version", s(version))]),
        R::NoHybridApplicationUpdate { version } => t.msg(
            &key("no_hybrid_application_update"),
            &[("version", s(version))],
        ),
        R::BuildTooOld { version, minimum } => t.msg(
            &key("build_too_old"),
            &[("version", s(version)), ("minimum", s(minimum))],
        ),
        R::SettingOff { key: k } => t.msg(&key("setting_off"), &[("key", s(k))]),
        R::ProxyFqdn { found } => t.msg(&key("proxy_fqdn"), &[("found", s(found))]),
        R::VerificationLevel { found } => t.msg(&key("verification_level"), &[("found", s(found))]),
        R::TenantFederationOff => t.msg(&key("tenant_federation_off"), &[]),
        R::DiscoveryMismatch { discovery, open } => t.msg(
            &key("discovery_mismatch"),
            &[
                (
                    "discovery",
                    s(t.get(if *discovery { "word.on" } else { "word.off" })),
                ),
                (
                    "open",
                    s(t.get(if *open { "word.open" } else { "word.closed" })),
                ),
            ],
        ),
        R::AllowedDomainsDiffer => t.msg(&key("allowed_domains_differ"), &[]),
        R::BlockedDomainsDiffer => t.msg(&key("blocked_domains_differ"), &[]),
        R::SrvMissing { domain } => t.msg(&key("srv_missing"), &[("domain", s(domain))]),
        R::ExternalRecordsElsewhere { domain } => {
            t.msg(&key("external_records_elsewhere"), &[("domain", s(domain))])
        }
        R::Tls12Off => t.msg(&key("tls12_off"), &[]),
        R::OauthOff => t.msg(&key("oauth_off"), &[]),
        R::ModuleTooOld { version } => t.msg(&key("module_too_old"), &[("version", s(version))]),
        R::ModuleRegression { version } => {
            t.msg(&key("module_regression"), &[("version", s(version))])
        }
        R::NotSfbUser => t.msg(&key("not_sfb_user"), &[]),
        R::AlreadyOnline => t.msg(&key("already_online"), &[]),
        R::TenantTeamsOnly => t.msg(&key("tenant_teams_only"), &[]),
        R::UsersTeamsOnly => t.msg(&key("users_teams_only"), &[]),
    }
}

/// Why a user is in its wave.
pub fn wave_reason(t: &Catalog, a: &Assessment, r: &WaveReason) -> String {
    match r {
        WaveReason::Pilot => t.msg("wave_reason.pilot", &[]),
        WaveReason::Pinned { pin } => t.msg("wave_reason.pinned", &[("pin", n(*pin as u64 + 1))]),
        WaveReason::DelegateOf { user } => t.msg(
            "wave_reason.delegate",
            &[("user", s(&a.objects.label(*user)))],
        ),
        WaveReason::Dependents { here, dependents } => t.msg(
            if here * 2 > *dependents {
                "wave_reason.team"
            } else {
                "wave_reason.some"
            },
            &[
                ("here", n(*here as u64)),
                ("dependents", n(*dependents as u64)),
            ],
        ),
        WaveReason::NoDependents => t.msg("wave_reason.none", &[]),
    }
}

/// The kinds of a dependency, strongest first: `manager, group`.
pub fn dependencies(t: &Catalog, d: Dependencies) -> String {
    d.iter()
        .map(|k| {
            t.get(match k {
                Dependency::Delegate => "dependency.delegate",
                Dependency::Interaction => "dependency.interaction",
                Dependency::Manager => "dependency.manager",
                Dependency::Group => "dependency.group",
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why an object does not synchronise.
pub fn sync_reason(t: &Catalog, r: &SyncReason) -> String {
    match r {
        SyncReason::Excluded { rule } => t.msg("sync_reason.excluded", &[("rule", s(rule))]),
        SyncReason::DomainFilter => t.msg("sync_reason.domain_filter", &[]),
        SyncReason::NotInIncludedOu => t.msg("sync_reason.not_in_included_ou", &[]),
        SyncReason::InExcludedOu { ou } => {
            t.msg("sync_reason.in_excluded_ou", &[("ou", s(&place(ou)))])
        }
        SyncReason::NotInSyncGroup => t.msg("sync_reason.not_in_sync_group", &[]),
        SyncReason::AttributeFilter => t.msg("sync_reason.attribute_filter", &[]),
        SyncReason::Blocked { rule } => t.msg("sync_reason.blocked", &[("rule", s(rule))]),
    }
}

/// Why a user cannot move.
pub fn move_blocker(t: &Catalog, b: &MoveBlocker) -> String {
    match b {
        MoveBlocker::NotSynced => t.msg("move.not_synced", &[]),
        MoveBlocker::NoSipAddress => t.msg("move.no_sip_address", &[]),
        MoveBlocker::SipDomainUnverified { domain } => {
            t.msg("move.sip_domain_unverified", &[("domain", s(domain))])
        }
        MoveBlocker::SipDomainDisabled { domain } => {
            t.msg("move.sip_domain_disabled", &[("domain", s(domain))])
        }
        MoveBlocker::NoLicence => t.msg("move.no_licence", &[]),
        MoveBlocker::NoPhoneLicence => t.msg("move.no_phone_licence", &[]),
        MoveBlocker::Tenant { check } => {
            t.msg("move.tenant", &[("check", s(&check_name(t, *check)))])
        }
    }
}

/// What to do. `a` gives what an action refers to (a rule's summary, a check's inputs).
pub fn action(t: &Catalog, kind: &ActionKind, a: &Assessment) -> String {
    use ActionKind as K;
    match kind {
        K::IncludeOu { ou } => t.msg("action.include_ou", &[("ou", s(&place(ou)))]),
        K::WidenIncludedOus => t.msg("action.widen_included_ous", &[]),
        K::SyncDomain { domain } => t.msg("action.sync_domain", &[("domain", s(domain))]),
        K::AddToSyncGroup => t.msg("action.add_to_sync_group", &[]),
        K::ReviewAttributeFilter => t.msg("action.review_attribute_filter", &[]),
        K::ReviewExclusion { rule } => t.msg("action.review_exclusion", &[("rule", s(rule))]),
        K::FixAttributes { rule } => {
            let summary = a
                .findings
                .rules
                .iter()
                .find(|d| &d.id == rule)
                .map(|d| rule_text(t, rule, "summary", &d.summary))
                .unwrap_or_default();
            t.msg(
                "action.fix_attributes",
                &[("rule", s(rule)), ("summary", s(&summary))],
            )
        }
        K::VerifyDomain { domain } => t.msg("action.verify_domain", &[("domain", s(domain))]),
        K::ReplaceDomain { domain } => t.msg("action.replace_domain", &[("domain", s(domain))]),
        K::EnableSipDomain { domain } => {
            t.msg("action.enable_sip_domain", &[("domain", s(domain))])
        }
        K::AssignLicences => t.msg("action.assign_licences", &[]),
        K::AssignPhoneLicences => t.msg("action.assign_phone_licences", &[]),
        K::CompleteSfbAttributes => t.msg("action.complete_sfb_attributes", &[]),
        K::ResolveDuplicates => t.msg("action.resolve_duplicates", &[]),
        K::CleanPilot => t.msg("action.clean_pilot", &[]),
        K::DefinePilot => t.msg("action.define_pilot", &[]),
        K::PlanRemainingUsers => t.msg("action.plan_remaining_users", &[]),
        K::MeetCheck { check } => t.msg(
            "action.meet_check",
            &[
                ("id", s(check.as_str())),
                ("title", s(&check_title(t, *check))),
            ],
        ),
        K::ProvideInputs { check } => {
            let needed = match a.check(*check).map(|c| &c.fact) {
                Some(Fact::NotProvided { inputs: i }) => inputs(t, i),
                _ => String::new(),
            };
            t.msg(
                "action.provide_inputs",
                &[("id", s(check.as_str())), ("inputs", s(&needed))],
            )
        }
    }
}

pub fn owner(t: &Catalog, o: Owner) -> String {
    t.get(match o {
        Owner::AdTeam => "owner.ad_team",
        Owner::SfbTeam => "owner.sfb_team",
        Owner::M365Admin => "owner.m365_admin",
    })
    .to_string()
}

pub fn effort(t: &Catalog, e: Effort) -> String {
    t.get(match e {
        Effort::Low => "effort.low",
        Effort::Medium => "effort.medium",
        Effort::High => "effort.high",
    })
    .to_string()
}

pub fn assumption(t: &Catalog, a: Assumption) -> String {
    t.get(match a {
        Assumption::EveryDomainSynced => "assumption.every_domain_synced",
        Assumption::WholeDomains => "assumption.whole_domains",
        Assumption::NothingVerified => "assumption.nothing_verified",
        Assumption::NoPilot => "assumption.no_pilot",
    })
    .to_string()
}

fn refusal_key(r: &Refusal) -> &'static str {
    match r {
        Refusal::Unreadable { .. } => "refusal.unreadable",
        Refusal::Empty => "refusal.empty",
        Refusal::Binary => "refusal.binary",
        Refusal::NoHeader => "refusal.no_header",
        Refusal::Hashtables => "refusal.hashtables",
        Refusal::NoMemberColumn => "refusal.no_member_column",
        Refusal::NoIdentityColumn { .. } => "refusal.no_identity_column",
        Refusal::Workbook { .. } => "refusal.workbook",
        Refusal::Archive { .. } => "refusal.archive",
        Refusal::Encrypted => "refusal.encrypted",
        Refusal::OverLimit(_) => "refusal.over_limit",
        Refusal::Malformed { .. } => "refusal.malformed",
        Refusal::XmlDtd { .. } => "refusal.xml_dtd",
    }
}

/// Why a file could not be read.
pub fn refusal(t: &Catalog, r: &Refusal) -> String {
    let args = match r {
        Refusal::Unreadable { error }
        | Refusal::Workbook { error }
        | Refusal::Archive { error } => {
            vec![("error", s(error))]
        }
        Refusal::NoIdentityColumn { found } => {
            vec![("found", s(&t.list(found.iter().cloned())))]
        }
        Refusal::Malformed {
            format,
            line,
            column,
            error,
        } => vec![
            ("format", s(format)),
            ("line", n(*line)),
            ("column", n(*column)),
            ("error", s(error)),
        ],
        Refusal::XmlDtd { line } => vec![("line", n(*line))],
        Refusal::OverLimit(o) => {
            // Each limit is worded on its own: what it bounds, and where.
            let args = [
                ("max", s(&o.max)),
                ("found", n(o.found)),
                ("sheet", s(o.sheet.as_deref().unwrap_or_default())),
                ("at", s(&o.at)),
            ];
            return t.msg(&format!("{}.{}", refusal_key(r), o.limit), &args);
        }
        _ => Vec::new(),
    };
    t.msg(refusal_key(r), &args)
}

/// Where the scenario and a configuration export, or two exports, give a setting different
/// values, and which value is used.
pub fn setting_conflict(
    t: &Catalog,
    c: &hybridready_assessment::setting::SettingConflict,
) -> String {
    use hybridready_assessment::setting::SettingConflict as C;
    match c {
        C::ScenarioOverridesFile {
            key,
            scenario,
            scenario_at,
            file,
            file_at,
        } => t.msg(
            "setting.scenario_overrides_file",
            &[
                ("key", s(key)),
                ("scenario", s(&scenario.to_string())),
                ("scenario_at", s(&scenario_at.to_string())),
                ("file", s(&file.to_string())),
                ("file_at", s(&file_at.to_string())),
            ],
        ),
        C::FilesDisagree {
            key,
            kept,
            kept_at,
            other,
            other_at,
        } => t.msg(
            "setting.files_disagree",
            &[
                ("key", s(key)),
                ("kept", s(&kept.to_string())),
                ("kept_at", s(&kept_at.to_string())),
                ("other", s(&other.to_string())),
                ("other_at", s(&other_at.to_string())),
            ],
        ),
    }
}

/// Where a setting came from: `scenario.toml:12`, a file (and its line), or the default.
pub fn setting_origin(t: &Catalog, o: &hybridready_assessment::setting::Origin) -> String {
    use hybridready_assessment::setting::Origin;
    match o {
        Origin::Scenario { at } | Origin::File { at, .. } => at.to_string(),
        Origin::Default => t.get("setting.default").to_string(),
    }
}

/// What to do about a refused file.
pub fn refusal_hint(t: &Catalog, r: &Refusal) -> String {
    let args = match r {
        Refusal::OverLimit(o) => vec![("limit", s(&o.limit)), ("raise_to", s(&o.raise_to))],
        _ => Vec::new(),
    };
    t.msg(&format!("{}.hint", refusal_key(r)), &args)
}

/// What the collection kit's manifest or section list says about a kit folder.
pub fn kit_note(t: &Catalog, k: &KitNote) -> String {
    match k {
        KitNote::ManifestVerified { files } => {
            t.msg("kit.manifest_verified", &[("files", n(*files))])
        }
        KitNote::ManifestMismatch {
            path,
            listed,
            found,
        } => t.msg(
            "kit.manifest_mismatch",
            &[
                ("path", s(path)),
                ("listed", s(listed)),
                ("found", s(found)),
            ],
        ),
        KitNote::ManifestMissing { path } => t.msg("kit.manifest_missing", &[("path", s(path))]),
        KitNote::ManifestBadRow { line } => t.msg("kit.manifest_bad_row", &[("line", n(*line))]),
        KitNote::Section {
            section,
            status,
            detail,
        } => {
            let key = match status {
                SectionStatus::Failed => "kit.section_failed",
                SectionStatus::Skipped => "kit.section_skipped",
            };
            t.msg(key, &[("section", s(section)), ("detail", s(detail))])
        }
    }
}

/// What to do about a kit note that is a problem with the inputs.
pub fn kit_note_hint(t: &Catalog, k: &KitNote) -> String {
    let key = match k {
        KitNote::ManifestMismatch { .. } => "kit.manifest_mismatch.hint",
        KitNote::ManifestMissing { .. } => "kit.manifest_missing.hint",
        KitNote::ManifestBadRow { .. } => "kit.manifest_bad_row.hint",
        KitNote::ManifestVerified { .. } | KitNote::Section { .. } => "kit.section.hint",
    };
    t.get(key).to_string()
}

/// What a missing column leaves unchecked: its uses, then the rules that read it.
pub fn leaves_unchecked(t: &Catalog, column: &str, rules: &[String]) -> String {
    let uses = t.opt(&format!("column.{column}")).map(str::to_string);
    let rules = (!rules.is_empty()).then(|| {
        t.msg(
            "column.rules",
            &[("rules", s(&t.list(rules.iter().cloned())))],
        )
    });
    match (uses, rules) {
        (Some(u), Some(r)) => format!("{u}; {r}"),
        (Some(u), None) => u,
        (None, Some(r)) => r,
        (None, None) => t.get("column.nothing").to_string(),
    }
}

/// A rule's summary, explanation or fix in the report's language: the catalogue's
/// `rule.<ID>.<field>` (other languages), else the declaration's English.
pub fn rule_text(t: &Catalog, id: &str, field: &str, english: &str) -> String {
    plain(t.opt(&format!("rule.{id}.{field}")).unwrap_or(english))
}

/// Rule documentation is written for the terminal and markdown (`hybridready explain`, `rules
/// --format markdown`): its code spans lose their backticks here, keeping what they quote
/// (a span opened by two backticks may quote a backtick itself).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].bytes().take_while(|&b| b == b'`').count();
        let fence = &rest[start..start + run];
        let after = &rest[start + run..];
        // The closing run has exactly the opening's length.
        let close = after.match_indices(fence).find(|&(i, _)| {
            !after[i + run..].starts_with('`') && (i == 0 || !after[..i].ends_with('`'))
        });
        match close {
            Some((i, _)) => {
                let inner = &after[..i];
                let inner = if inner.len() > 2 && inner.starts_with(' ') && inner.ends_with(' ') {
                    &inner[1..inner.len() - 1]
                } else {
                    inner
                };
                out.push_str(inner);
                rest = &after[i + run..];
            }
            None => {
                out.push_str(fence);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use hybridready_assessment::ObjRef;

    /// Every variant of `Fact`, and its ordinal by a match the compiler checks: a new variant
    /// fails to compile here until it is added to the examples.
    fn facts() -> Vec<Fact> {
        use Fact as F;
        let v = vec![
            F::NotProvided {
                inputs: vec![Input::ScenarioKey("federation.tls12".into())],
            },
            F::TenantDeclared {
                name: Some("Contoso".into()),
                initial_domain: Some("contoso.onmicrosoft.com".into()),
            },
            F::TeamsEnabled,
            F::TeamsDisabled,
            F::OneTenant,
            F::TenantsPaired { count: 2 },
            F::SipDomainsVerified { domains: 3 },
            F::SipDomainsUnverified {
                domains: 1,
                users: 12,
                verified_list: false,
            },
            F::UpnSuffixesVerified,
            F::UpnSuffixesUnverified {
                users: 2,
                domains: 1,
                becomes: None,
            },
            F::SmtpDomainsVerified,
            F::SmtpDomainsUnverified {
                objects: 5,
                domains: 2,
            },
            F::OneSfbForest,
            F::SfbForests { count: 2 },
            F::NoDisabledDomainWithOnlineUsers,
            F::DisabledDomainsWithOnlineUsers {
                domains: 1,
                users: 4,
            },
            F::OnPremisesUsersSync { users: 240 },
            F::OnPremisesUsersUnsynced { users: 19 },
            F::OnlineUsersSynced { users: 0 },
            F::OnlineUsersUnsynced { users: 1 },
            F::NoBlockingFinding,
            F::ObjectsBlocked { objects: 15 },
            F::SfbAttributesPresent,
            F::SfbAttributesMissing { users: 1 },
            F::NoSharedValues,
            F::SharedValues { users: 10 },
            F::SyncScopeComplete,
            F::SyncScopeIncomplete,
            F::SfbAttributesKept,
            F::SfbAttributesDropped {
                attributes: vec!["msRTCSIP-Line".into()],
            },
            F::DeploymentLocatorSynced,
            F::DeploymentLocatorDropped,
            F::SingleForest,
            F::NoResourceForestUser,
            F::ResourceForestUsersMatch { users: 3 },
            F::ResourceForestUsersUnmatched { users: 2 },
            F::SyncDatabaseFits { objects: 1200 },
            F::SyncDatabaseTooSmall { objects: 150_000 },
            F::TopologySupported {
                versions: vec!["SfB2019 7.0.2046.385".into()],
            },
            F::TopologyUnsupported,
            F::BuildsRecentEnough,
            F::BuildsTooOld,
            F::HybridVoiceOn {
                version: "SfB2019".into(),
            },
            F::HybridVoiceNotPlanned,
            F::HybridVoiceEdgeTooOld {
                version: "Lync2013".into(),
            },
            F::AccessEdgeReady,
            F::AccessEdgeNotReady,
            F::HostingProviderReady,
            F::HostingProviderNotReady,
            F::SharedSipAddressSpaceOn,
            F::SharedSipAddressSpaceOff,
            F::FederationParity,
            F::FederationMismatch,
            F::OneEdgePool,
            F::EdgePools { count: 2 },
            F::DnsReady,
            F::DnsNotReady,
            F::MoveToolingReady,
            F::MoveToolingNotReady,
            F::OneHybridForest,
            F::HybridForests { count: 2 },
            F::ServersSupported,
            F::ServersOutOfSupport { servers: 2 },
            F::HybridApplicationBuilds,
            F::HybridApplicationToVerify { servers: 1 },
            F::ConnectVersionCurrent {
                version: "2.5.79.0".into(),
            },
            F::ConnectVersionStopping {
                version: "2.4.18.0".into(),
                minimum: "2.5.79.0".into(),
                stops_on: "2026-09-30".into(),
            },
            F::ConnectVersionStopped {
                version: "2.4.18.0".into(),
                minimum: "2.5.79.0".into(),
                stops_on: "2026-09-30".into(),
            },
            F::NoPilot,
            F::PilotMovable { users: 1 },
            F::PilotBlocked {
                users: 3,
                total: 40,
            },
            F::PilotAllSfbOnPremises,
            F::PilotNotSfbOnPremises { users: 2 },
            F::LicencesAssigned,
            F::LicencesGivenByScenario,
            F::UsersUnlicensed { users: 7 },
            F::NoVoiceUserToMove,
            F::VoiceUsersLicensed { users: 2 },
            F::VoiceUsersUnlicensed { users: 1 },
            F::NoBreak,
            F::Broken {
                pairs: 129,
                unsynced: 12,
                online: 40,
            },
            F::MovesKeepContacts,
            F::MovesWithForce,
            F::SignInReminder,
            F::WavesPlanned {
                users: 207,
                waves: 6,
                size: 50,
                kept: 0,
            },
            F::UsersStranded { users: 20 },
            F::NoCloudOnlyUser { users: 1200 },
            F::CloudOnlyUsers {
                users: 2,
                examples: vec!["ada@contoso.com".into(), "bob@contoso.com".into()],
            },
            F::DelegatesTogether,
            F::DelegatesSplit { pairs: 3 },
            F::IslandsReachable {
                mode: "SfBWithTeamsCollab".into(),
            },
            F::IslandsMissChats {
                mode: "Islands".into(),
            },
            F::NoUnifiedContactStore,
            F::UnifiedContactStore,
            F::ModesFit,
            F::ModesMisfit,
            F::ContactsToTeams,
            F::UserModesGiven,
            F::OtherForestsFederate,
            F::OtherForestsBreak { forests: 2 },
        ];
        let ordinal = |f: &Fact| -> usize {
            match f {
                F::NotProvided { .. } => 0,
                F::TenantDeclared { .. } => 1,
                F::TeamsEnabled => 2,
                F::TeamsDisabled => 3,
                F::OneTenant => 4,
                F::TenantsPaired { .. } => 5,
                F::SipDomainsVerified { .. } => 6,
                F::SipDomainsUnverified { .. } => 7,
                F::UpnSuffixesVerified => 8,
                F::UpnSuffixesUnverified { .. } => 9,
                F::SmtpDomainsVerified => 10,
                F::SmtpDomainsUnverified { .. } => 11,
                F::OneSfbForest => 12,
                F::SfbForests { .. } => 13,
                F::NoDisabledDomainWithOnlineUsers => 14,
                F::DisabledDomainsWithOnlineUsers { .. } => 15,
                F::OnPremisesUsersSync { .. } => 16,
                F::OnPremisesUsersUnsynced { .. } => 17,
                F::OnlineUsersSynced { .. } => 18,
                F::OnlineUsersUnsynced { .. } => 19,
                F::NoBlockingFinding => 20,
                F::ObjectsBlocked { .. } => 21,
                F::SfbAttributesPresent => 22,
                F::SfbAttributesMissing { .. } => 23,
                F::NoSharedValues => 24,
                F::SharedValues { .. } => 25,
                F::SyncScopeComplete => 26,
                F::SyncScopeIncomplete => 27,
                F::SfbAttributesKept => 28,
                F::SfbAttributesDropped { .. } => 29,
                F::DeploymentLocatorSynced => 30,
                F::DeploymentLocatorDropped => 31,
                F::SingleForest => 32,
                F::NoResourceForestUser => 33,
                F::ResourceForestUsersMatch { .. } => 34,
                F::ResourceForestUsersUnmatched { .. } => 35,
                F::SyncDatabaseFits { .. } => 36,
                F::SyncDatabaseTooSmall { .. } => 37,
                F::TopologySupported { .. } => 38,
                F::TopologyUnsupported => 39,
                F::BuildsRecentEnough => 40,
                F::BuildsTooOld => 41,
                F::HybridVoiceOn { .. } => 42,
                F::HybridVoiceNotPlanned => 43,
                F::HybridVoiceEdgeTooOld { .. } => 44,
                F::AccessEdgeReady => 45,
                F::AccessEdgeNotReady => 46,
                F::HostingProviderReady => 47,
                F::HostingProviderNotReady => 48,
                F::SharedSipAddressSpaceOn => 49,
                F::SharedSipAddressSpaceOff => 50,
                F::FederationParity => 51,
                F::FederationMismatch => 52,
                F::OneEdgePool => 53,
                F::EdgePools { .. } => 54,
                F::DnsReady => 55,
                F::DnsNotReady => 56,
                F::MoveToolingReady => 57,
                F::MoveToolingNotReady => 58,
                F::OneHybridForest => 59,
                F::HybridForests { .. } => 60,
                F::NoPilot => 61,
                F::PilotMovable { .. } => 62,
                F::PilotBlocked { .. } => 63,
                F::PilotAllSfbOnPremises => 64,
                F::PilotNotSfbOnPremises { .. } => 65,
                F::LicencesAssigned => 66,
                F::LicencesGivenByScenario => 67,
                F::UsersUnlicensed { .. } => 68,
                F::NoVoiceUserToMove => 69,
                F::VoiceUsersLicensed { .. } => 70,
                F::VoiceUsersUnlicensed { .. } => 71,
                F::NoBreak => 72,
                F::Broken { .. } => 73,
                F::MovesKeepContacts => 74,
                F::MovesWithForce => 75,
                F::SignInReminder => 76,
                F::WavesPlanned { .. } => 77,
                F::UsersStranded { .. } => 78,
                F::DelegatesTogether => 79,
                F::DelegatesSplit { .. } => 80,
                F::IslandsReachable { .. } => 81,
                F::IslandsMissChats { .. } => 82,
                F::NoUnifiedContactStore => 83,
                F::UnifiedContactStore => 84,
                F::ModesFit => 85,
                F::ModesMisfit => 86,
                F::ContactsToTeams => 87,
                F::UserModesGiven => 88,
                F::OtherForestsFederate => 89,
                F::OtherForestsBreak { .. } => 90,
                F::ServersSupported => 91,
                F::ServersOutOfSupport { .. } => 92,
                F::HybridApplicationBuilds => 93,
                F::HybridApplicationToVerify { .. } => 94,
                F::ConnectVersionCurrent { .. } => 95,
                F::ConnectVersionStopping { .. } => 96,
                F::ConnectVersionStopped { .. } => 97,
                F::NoCloudOnlyUser { .. } => 98,
                F::CloudOnlyUsers { .. } => 99,
            }
        };
        let mut seen: Vec<usize> = v.iter().map(ordinal).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..=99).collect::<Vec<_>>(), "a Fact has no example");
        v
    }

    fn reasons() -> Vec<Reason> {
        use Reason as R;
        let v = vec![
            R::NotSynced {
                why: SyncReason::Blocked {
                    rule: "UPN-CHAR".into(),
                },
            },
            R::CannotMove {
                why: MoveBlocker::NoLicence,
            },
            R::UnverifiedDomain {
                domain: "contoso.local".into(),
                non_routable: true,
            },
            R::UnverifiedDomain {
                domain: "fabrikam.com".into(),
                non_routable: false,
            },
            R::RuleBlocks {
                rule: "NICK-DUP".into(),
            },
            R::MissingAttribute {
                attribute: "msRTCSIP-DeploymentLocator".into(),
            },
            R::DomainNotSynced {
                domain: "fabrikam.com".into(),
            },
            R::SyncInstances { count: 2 },
            R::DisabledDomain {
                domain: "contoso.com".into(),
            },
            R::Lync2010,
            R::TooManyVersions { count: 3 },
            R::VersionPair {
                first: "Lync Server 2010".into(),
                second: "Skype for Business Server 2019".into(),
            },
            R::OutOfSupport {
                version: "SfB2019 7.0.2046.385".into(),
            },
            R::NoHybridApplicationUpdate {
                version: "Lync2013 5.0.8308.1182".into(),
            },
            R::BuildTooOld {
                version: "SfB2015 6.0.9319.0".into(),
                minimum: "6.0.9319.619".into(),
            },
            R::SettingOff {
                key: "federation.allow_federated_users".into(),
            },
            R::ProxyFqdn {
                found: "sipfed.example.com".into(),
            },
            R::VerificationLevel {
                found: "AlwaysVerifiable".into(),
            },
            R::TenantFederationOff,
            R::DiscoveryMismatch {
                discovery: true,
                open: false,
            },
            R::AllowedDomainsDiffer,
            R::BlockedDomainsDiffer,
            R::SrvMissing {
                domain: "contoso.com".into(),
            },
            R::ExternalRecordsElsewhere {
                domain: "contoso.com".into(),
            },
            R::Tls12Off,
            R::OauthOff,
            R::ModuleTooOld {
                version: "5.0.0".into(),
            },
            R::ModuleRegression {
                version: "7.2.0".into(),
            },
            R::NotSfbUser,
            R::AlreadyOnline,
            R::TenantTeamsOnly,
            R::UsersTeamsOnly,
        ];
        let ordinal = |r: &Reason| -> usize {
            match r {
                R::NotSynced { .. } => 0,
                R::CannotMove { .. } => 1,
                R::UnverifiedDomain { .. } => 2,
                R::RuleBlocks { .. } => 3,
                R::MissingAttribute { .. } => 4,
                R::DomainNotSynced { .. } => 5,
                R::SyncInstances { .. } => 6,
                R::DisabledDomain { .. } => 7,
                R::Lync2010 => 8,
                R::TooManyVersions { .. } => 9,
                R::VersionPair { .. } => 10,
                R::OutOfSupport { .. } => 11,
                R::NoHybridApplicationUpdate { .. } => 30,
                R::BuildTooOld { .. } => 12,
                R::SettingOff { .. } => 13,
                R::ProxyFqdn { .. } => 14,
                R::VerificationLevel { .. } => 15,
                R::TenantFederationOff => 16,
                R::DiscoveryMismatch { .. } => 17,
                R::AllowedDomainsDiffer => 18,
                R::BlockedDomainsDiffer => 19,
                R::SrvMissing { .. } => 20,
                R::ExternalRecordsElsewhere { .. } => 21,
                R::Tls12Off => 22,
                R::OauthOff => 23,
                R::ModuleTooOld { .. } => 24,
                R::ModuleRegression { .. } => 25,
                R::NotSfbUser => 26,
                R::AlreadyOnline => 27,
                R::TenantTeamsOnly => 28,
                R::UsersTeamsOnly => 29,
            }
        };
        let mut seen: Vec<usize> = v.iter().map(ordinal).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            (0..=30).collect::<Vec<_>>(),
            "a Reason has no example"
        );
        v
    }

    fn sync_reasons() -> Vec<SyncReason> {
        let v = vec![
            SyncReason::Excluded {
                rule: "SKIP-CRIT".into(),
            },
            SyncReason::DomainFilter,
            SyncReason::NotInIncludedOu,
            SyncReason::InExcludedOu {
                ou: "OU=Contractors,OU=Staff,DC=contoso,DC=com".into(),
            },
            SyncReason::NotInSyncGroup,
            SyncReason::AttributeFilter,
            SyncReason::Blocked {
                rule: "UPN-CHAR".into(),
            },
        ];
        for r in &v {
            match r {
                SyncReason::Excluded { .. }
                | SyncReason::DomainFilter
                | SyncReason::NotInIncludedOu
                | SyncReason::InExcludedOu { .. }
                | SyncReason::NotInSyncGroup
                | SyncReason::AttributeFilter
                | SyncReason::Blocked { .. } => {}
            }
        }
        v
    }

    fn move_blockers() -> Vec<MoveBlocker> {
        let v = vec![
            MoveBlocker::NotSynced,
            MoveBlocker::NoSipAddress,
            MoveBlocker::SipDomainUnverified {
                domain: "contoso-partners.com".into(),
            },
            MoveBlocker::SipDomainDisabled {
                domain: "contoso.com".into(),
            },
            MoveBlocker::NoLicence,
            MoveBlocker::NoPhoneLicence,
            MoveBlocker::Tenant {
                check: CheckId::T07,
            },
        ];
        for b in &v {
            match b {
                MoveBlocker::NotSynced
                | MoveBlocker::NoSipAddress
                | MoveBlocker::SipDomainUnverified { .. }
                | MoveBlocker::SipDomainDisabled { .. }
                | MoveBlocker::NoLicence
                | MoveBlocker::NoPhoneLicence
                | MoveBlocker::Tenant { .. } => {}
            }
        }
        v
    }

    fn inputs_all() -> Vec<Input> {
        let v = vec![
            Input::ScenarioKey("tenant.tenants".into()),
            Input::Column("userPrincipalName".into()),
            Input::Licences,
            Input::BuildsOf(vec!["SfB2019".into()]),
            Input::OnlineUsersExport,
            Input::ContactCounts,
            Input::UserModes,
        ];
        for i in &v {
            match i {
                Input::ScenarioKey(_)
                | Input::Column(_)
                | Input::Licences
                | Input::BuildsOf(_)
                | Input::OnlineUsersExport
                | Input::ContactCounts
                | Input::UserModes => {}
            }
        }
        v
    }

    fn actions() -> Vec<ActionKind> {
        use ActionKind as K;
        let v = vec![
            K::IncludeOu {
                ou: "OU=Contractors,OU=Staff,DC=contoso,DC=com".into(),
            },
            K::WidenIncludedOus,
            K::SyncDomain {
                domain: "fabrikam.com".into(),
            },
            K::AddToSyncGroup,
            K::ReviewAttributeFilter,
            K::ReviewExclusion {
                rule: "SKIP-SVC".into(),
            },
            K::FixAttributes {
                rule: "NICK-DUP".into(),
            },
            K::VerifyDomain {
                domain: "contoso-partners.com".into(),
            },
            K::ReplaceDomain {
                domain: "corp.contoso.local".into(),
            },
            K::EnableSipDomain {
                domain: "contoso.com".into(),
            },
            K::AssignLicences,
            K::AssignPhoneLicences,
            K::CompleteSfbAttributes,
            K::ResolveDuplicates,
            K::CleanPilot,
            K::DefinePilot,
            K::PlanRemainingUsers,
            K::MeetCheck {
                check: CheckId::T07,
            },
            K::ProvideInputs {
                check: CheckId::T05,
            },
        ];
        for k in &v {
            match k {
                K::IncludeOu { .. }
                | K::WidenIncludedOus
                | K::SyncDomain { .. }
                | K::AddToSyncGroup
                | K::ReviewAttributeFilter
                | K::ReviewExclusion { .. }
                | K::FixAttributes { .. }
                | K::VerifyDomain { .. }
                | K::ReplaceDomain { .. }
                | K::EnableSipDomain { .. }
                | K::AssignLicences
                | K::AssignPhoneLicences
                | K::CompleteSfbAttributes
                | K::ResolveDuplicates
                | K::CleanPilot
                | K::DefinePilot
                | K::PlanRemainingUsers
                | K::MeetCheck { .. }
                | K::ProvideInputs { .. } => {}
            }
        }
        v
    }

    fn setting_conflicts() -> Vec<hybridready_assessment::setting::SettingConflict> {
        use hybridready_assessment::setting::{Place, SettingConflict as C, SettingValue as V};
        let at = |file: &str, line| Place {
            file: file.into(),
            line,
        };
        vec![
            C::ScenarioOverridesFile {
                key: "federation.federation_edge_pools".into(),
                scenario: V::Count(1),
                scenario_at: at("scenario.toml", Some(26)),
                file: V::Count(2),
                file_at: at("sfb/edge-services.json", Some(4)),
            },
            C::FilesDisagree {
                key: "tenant.global_upgrade_policy".into(),
                kept: V::Text("Islands".into()),
                kept_at: at("a.json", Some(5)),
                other: V::Text("TeamsOnly".into()),
                other_at: at("b.txt", None),
            },
        ]
    }

    fn refusals() -> Vec<Refusal> {
        let v = vec![
            Refusal::Unreadable {
                error: "Permission denied (os error 13)".into(),
            },
            Refusal::Empty,
            Refusal::Binary,
            Refusal::NoHeader,
            Refusal::Hashtables,
            Refusal::NoMemberColumn,
            Refusal::NoIdentityColumn {
                found: vec!["Office".into(), "Shoe Size".into()],
            },
            Refusal::Workbook {
                error: "invalid zip".into(),
            },
            Refusal::Malformed {
                format: "JSON".into(),
                line: 3,
                column: 9,
                error: "expected a JSON value".into(),
            },
            Refusal::XmlDtd { line: 2 },
            Refusal::Archive {
                error: "invalid Zip archive: Could not find EOCD".into(),
            },
            Refusal::Encrypted,
        ];
        // One of each limit on a whole file, each worded on its own.
        let over = |limit: &str, found: u64, sheet: Option<&str>, at: &str| {
            Refusal::OverLimit(Box::new(hybridready_assessment::OverLimit {
                limit: limit.into(),
                max: "1KiB".into(),
                found,
                sheet: sheet.map(str::to_string),
                at: at.into(),
                raise_to: "4KiB".into(),
            }))
        };
        let mut v = v;
        v.extend([
            over("file-size", 2048, None, ""),
            over("xlsx-part-size", 5 << 30, None, "xl/worksheets/sheet1.xml"),
            over("xlsx-part-ratio", 1028, None, "xl/worksheets/sheet1.xml"),
            over(
                "sheet-cells",
                17_179_869_184,
                Some("Users"),
                "A1:XFD1048576",
            ),
            over("cell-size", 3 << 20, Some("Users"), "C2"),
            over("zip-size", 17 << 30, None, "exports/users.csv"),
            over("zip-ratio", 1028, None, "exports/users.csv"),
            over("zip-entries", 20_000, None, ""),
        ]);
        for r in &v {
            match r {
                Refusal::Unreadable { .. }
                | Refusal::Empty
                | Refusal::Binary
                | Refusal::NoHeader
                | Refusal::Hashtables
                | Refusal::NoMemberColumn
                | Refusal::NoIdentityColumn { .. }
                | Refusal::Workbook { .. }
                | Refusal::Malformed { .. }
                | Refusal::XmlDtd { .. }
                | Refusal::Archive { .. }
                | Refusal::Encrypted
                | Refusal::OverLimit(_) => {}
            }
        }
        v
    }

    /// An assessment to word actions against (a rule's summary, a check's inputs).
    fn assessment() -> Assessment {
        crate::test_support::empty_assessment()
    }

    /// A placeholder left as written: `{name}` or `{name|…`, not a literal brace of the text.
    fn has_hole(s: &str) -> bool {
        s.match_indices('{').any(|(i, _)| {
            let rest = &s[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            !name.is_empty() && rest[name.len()..].starts_with(['}', '|'])
        })
    }

    #[test]
    fn every_variant_is_worded_in_both_languages() {
        let a = assessment();
        let mut texts: Vec<(String, String, String)> = Vec::new();
        let mut both = |what: String, f: &dyn Fn(&Catalog) -> String| {
            let en = f(Lang::En.catalog());
            let fr = f(Lang::Fr.catalog());
            texts.push((what, en, fr));
        };
        for x in facts() {
            both(format!("{x:?}"), &|t| fact(t, &x));
        }
        for x in reasons() {
            both(format!("{x:?}"), &|t| reason(t, &x));
        }
        for x in sync_reasons() {
            both(format!("{x:?}"), &|t| sync_reason(t, &x));
        }
        for x in move_blockers() {
            both(format!("{x:?}"), &|t| move_blocker(t, &x));
        }
        for x in inputs_all() {
            both(format!("{x:?}"), &|t| input(t, &x));
        }
        for x in actions() {
            both(format!("{x:?}"), &|t| action(t, &x, &a));
        }
        for x in refusals() {
            both(format!("{x:?}"), &|t| refusal(t, &x));
            both(format!("{x:?} hint"), &|t| refusal_hint(t, &x));
        }
        for x in setting_conflicts() {
            both(format!("{x:?}"), &|t| setting_conflict(t, &x));
        }
        both("default origin".into(), &|t| {
            setting_origin(t, &hybridready_assessment::setting::Origin::Default)
        });
        for x in [
            KitNote::ManifestVerified { files: 3 },
            KitNote::ManifestMismatch {
                path: "ad/contoso.com/contoso.com/users.csv".into(),
                listed: "AB".into(),
                found: "CD".into(),
            },
            KitNote::ManifestMissing {
                path: "sfb/cs-users.csv".into(),
            },
            KitNote::ManifestBadRow { line: 4 },
            KitNote::Section {
                section: "sfb/cs-users".into(),
                status: SectionStatus::Failed,
                detail: "Access denied".into(),
            },
            KitNote::Section {
                section: "tenant/domains".into(),
                status: SectionStatus::Skipped,
                detail: "not connected".into(),
            },
        ] {
            both(format!("{x:?}"), &|t| kit_note(t, &x));
            both(format!("{x:?} hint"), &|t| kit_note_hint(t, &x));
        }
        for x in [Owner::AdTeam, Owner::SfbTeam, Owner::M365Admin] {
            both(format!("{x:?}"), &|t| owner(t, x));
        }
        for x in [
            WaveReason::Pilot,
            WaveReason::Pinned { pin: 0 },
            WaveReason::DelegateOf { user: ObjRef(0) },
            WaveReason::Dependents {
                here: 3,
                dependents: 4,
            },
            WaveReason::Dependents {
                here: 1,
                dependents: 4,
            },
            WaveReason::NoDependents,
        ] {
            both(format!("{x:?}"), &|t| wave_reason(t, &a, &x));
        }
        for x in [Effort::Low, Effort::Medium, Effort::High] {
            both(format!("{x:?}"), &|t| effort(t, x));
        }
        for x in [
            Assumption::EveryDomainSynced,
            Assumption::WholeDomains,
            Assumption::NothingVerified,
            Assumption::NoPilot,
        ] {
            both(format!("{x:?}"), &|t| assumption(t, x));
        }
        for x in [Verdict::Ready, Verdict::ReadyWithWarnings, Verdict::Blocked] {
            both(format!("{x:?}"), &|t| verdict(t, x));
        }
        for x in [Status::Pass, Status::Warn, Status::Fail] {
            both(format!("{x:?}"), &|t| step_status(t, x));
            both(format!("{x:?}"), &|t| check_status(t, x));
        }
        for x in StepId::ALL {
            both(format!("{x:?}"), &|t| step_title(t, x));
        }
        for x in CheckId::ALL {
            both(format!("{x:?}"), &|t| check_title(t, *x));
        }
        for (what, en, fr) in &texts {
            assert!(!en.is_empty() && !fr.is_empty(), "{what} is empty");
            assert!(!has_hole(en), "{what}: a placeholder is left in {en:?}");
            assert!(!has_hole(fr), "{what}: a placeholder is left in {fr:?}");
            // A sentence with words reads differently in French (names and ids aside; "Tenant"
            // is the word French consultants use too).
            let words = en.split_whitespace().count() > 2 && !what.starts_with("TenantDeclared");
            assert!(
                !words || en != fr,
                "{what} is the same in both languages: {en:?}"
            );
        }
        for lang in Lang::ALL {
            assert!(
                lang.catalog().missing().is_empty(),
                "{lang}: missing {:?}",
                lang.catalog().missing()
            );
        }
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let en = Lang::En.catalog();
        let fr = Lang::Fr.catalog();
        let m = |t: &Catalog, n: u64| t.render("{n|zero|one|other {n}}", &[("n", Arg::N(n))]);
        assert_eq!(m(en, 0), "zero");
        assert_eq!(m(en, 1), "one");
        assert_eq!(m(en, 1234), "other 1,234");
        let p = |t: &Catalog, n: u64| t.render("{n} {n|user|users}", &[("n", Arg::N(n))]);
        assert_eq!(p(en, 0), "0 users");
        assert_eq!(p(fr, 0), "0 user", "French takes the singular for 0");
        assert_eq!(p(fr, 2), "2 users");
        assert_eq!(
            en.render("{{ a }} {x}", &[("x", Arg::T("b".into()))]),
            "{ a } b"
        );
        assert_eq!(en.render("{missing}", &[]), "{missing}");
    }
}
