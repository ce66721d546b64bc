//! Who may do what in the organiser workspace: the one rule that every page, form, server
//! function and API route asks before it reads a draft or changes anything.
//!
//! A person holds roles; an action names the object it touches, with the ids as stored. The
//! caller passes the edition a stage *really* belongs to (read from the database), never one
//! taken from the request, so a Lyon organiser cannot reach Paris by pairing Paris's stage
//! with Lyon's edition.

use serde::{Deserialize, Serialize};

/// One role a person holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Runs the platform: creates editions and names their admins.
    PlatformAdmin,
    /// The national team of one edition: everything within it.
    EditionAdmin { edition: String },
    /// A city team: one stage of an edition (a person may hold several).
    StageOrganiser { edition: String, stage: String },
}

/// Something a person is about to do, and what it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Create a new edition.
    CreateEdition,
    /// Open an edition in the workspace: its name and dates, and the stages within reach.
    SeeEdition { edition: &'a str },
    /// Change an edition: name, dates, theme, partners, publishing.
    EditEdition { edition: &'a str },
    /// Invite or remove an admin of an edition.
    ManageEditionAdmins { edition: &'a str },
    /// Add a city stage to an edition.
    AddStage { edition: &'a str },
    /// See a stage in the workspace: a draft, its preview, its registration counts.
    SeeStage { edition: &'a str, stage: &'a str },
    /// Change a stage: content, venue, times, line-up, publishing, cancelling.
    EditStage { edition: &'a str, stage: &'a str },
    /// Invite or remove the organisers of a stage.
    ManageStageOrganisers { edition: &'a str, stage: &'a str },
}

/// Whether someone holding `roles` may do `action`.
pub fn may(roles: &[Role], action: Action<'_>) -> bool {
    roles.iter().any(|role| role_allows(role, action))
}

fn role_allows(role: &Role, action: Action<'_>) -> bool {
    match role {
        Role::PlatformAdmin => true,
        Role::EditionAdmin { edition: mine } => match action {
            Action::CreateEdition => false,
            Action::SeeEdition { edition }
            | Action::EditEdition { edition }
            | Action::ManageEditionAdmins { edition }
            | Action::AddStage { edition }
            | Action::SeeStage { edition, .. }
            | Action::EditStage { edition, .. }
            | Action::ManageStageOrganisers { edition, .. } => edition == mine,
        },
        Role::StageOrganiser {
            edition: my_edition,
            stage: my_stage,
        } => match action {
            Action::SeeEdition { edition } => edition == my_edition,
            Action::SeeStage { edition, stage }
            | Action::EditStage { edition, stage }
            | Action::ManageStageOrganisers { edition, stage } => {
                edition == my_edition && stage == my_stage
            }
            Action::CreateEdition
            | Action::EditEdition { .. }
            | Action::ManageEditionAdmins { .. }
            | Action::AddStage { .. } => false,
        },
    }
}

/// Whether someone holding `roles` may invite a person to `role`: an edition admin by those who
/// manage the edition's admins, a stage organiser by those who manage that stage's team (its
/// own organisers included). Nobody is invited to run the platform.
pub fn may_invite(roles: &[Role], role: &Role) -> bool {
    team_action(role).is_some_and(|action| may(roles, action))
}

/// The action that inviting someone to `role` (or taking it away from them) is; `None` for
/// running the platform, which nobody is invited to.
pub fn team_action(role: &Role) -> Option<Action<'_>> {
    match role {
        Role::PlatformAdmin => None,
        Role::EditionAdmin { edition } => Some(Action::ManageEditionAdmins { edition }),
        Role::StageOrganiser { edition, stage } => {
            Some(Action::ManageStageOrganisers { edition, stage })
        }
    }
}

/// Whether someone holding `roles` may take `role` away from a member: from another person
/// when they may invite to it, and from themselves whenever they hold it (anyone may leave).
pub fn may_remove(roles: &[Role], role: &Role, from_themselves: bool) -> bool {
    if from_themselves {
        roles.contains(role)
    } else {
        may_invite(roles, role)
    }
}

/// The stages of one edition that `roles` may see, or `All` for the edition's whole team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageReach<'a> {
    All,
    Only(Vec<&'a str>),
}

/// Which stages of `edition` a person sees in the workspace: the whole edition for its admins
/// (and the platform's), only their own stages for a city team. Listing pages filter with
/// this and then still ask `may` for each stage they open.
pub fn stage_reach<'a>(roles: &'a [Role], edition: &str) -> StageReach<'a> {
    if may(roles, Action::AddStage { edition }) {
        return StageReach::All;
    }
    StageReach::Only(
        roles
            .iter()
            .filter_map(|role| match role {
                Role::StageOrganiser {
                    edition: e,
                    stage: s,
                } if e == edition => Some(s.as_str()),
                _ => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: &str = "sgw-2026";
    const OTHER_WEEK: &str = "sgw-2025";
    const LYON: &str = "lyon";
    const PARIS: &str = "paris";

    fn edition_admin(edition: &str) -> Role {
        Role::EditionAdmin {
            edition: edition.into(),
        }
    }

    fn organiser(edition: &str, stage: &str) -> Role {
        Role::StageOrganiser {
            edition: edition.into(),
            stage: stage.into(),
        }
    }

    /// Every action, on `edition` and (where it has one) `stage`.
    fn actions<'a>(edition: &'a str, stage: &'a str) -> Vec<Action<'a>> {
        vec![
            Action::SeeEdition { edition },
            Action::EditEdition { edition },
            Action::ManageEditionAdmins { edition },
            Action::AddStage { edition },
            Action::SeeStage { edition, stage },
            Action::EditStage { edition, stage },
            Action::ManageStageOrganisers { edition, stage },
        ]
    }

    fn is_stage_action(action: Action<'_>) -> bool {
        matches!(
            action,
            Action::SeeStage { .. }
                | Action::EditStage { .. }
                | Action::ManageStageOrganisers { .. }
        )
    }

    #[test]
    fn the_platform_admin_may_do_everything() {
        let roles = [Role::PlatformAdmin];
        assert!(may(&roles, Action::CreateEdition));
        for action in actions(WEEK, LYON)
            .into_iter()
            .chain(actions(OTHER_WEEK, PARIS))
        {
            assert!(may(&roles, action), "{action:?}");
        }
    }

    #[test]
    fn an_edition_admin_runs_their_edition_only() {
        let roles = [edition_admin(WEEK)];
        assert!(!may(&roles, Action::CreateEdition));
        for action in actions(WEEK, LYON).into_iter().chain(actions(WEEK, PARIS)) {
            assert!(may(&roles, action), "{action:?}");
        }
        for action in actions(OTHER_WEEK, LYON) {
            assert!(!may(&roles, action), "{action:?}");
        }
    }

    #[test]
    fn a_stage_organiser_runs_their_stage_and_sees_only_its_edition() {
        let roles = [organiser(WEEK, LYON)];
        assert!(!may(&roles, Action::CreateEdition));
        for action in actions(WEEK, LYON) {
            let allowed = is_stage_action(action) || matches!(action, Action::SeeEdition { .. });
            assert_eq!(may(&roles, action), allowed, "{action:?}");
        }
        // Paris's stage, even a draft, is out of reach; so is any other edition.
        for action in actions(WEEK, PARIS)
            .into_iter()
            .filter(|a| is_stage_action(*a))
        {
            assert!(!may(&roles, action), "{action:?}");
        }
        for action in actions(OTHER_WEEK, LYON) {
            assert!(!may(&roles, action), "{action:?}");
        }
    }

    #[test]
    fn a_stage_paired_with_the_wrong_edition_is_out_of_reach() {
        // Same stage id, other edition: the caller passes the stage's real edition, and a
        // mismatch never widens the reach.
        let roles = [organiser(WEEK, LYON)];
        assert!(!may(
            &roles,
            Action::EditStage {
                edition: OTHER_WEEK,
                stage: LYON
            }
        ));
    }

    #[test]
    fn anyone_may_leave_a_role_they_hold_and_only_managers_remove_others() {
        let lyon = organiser(WEEK, LYON);
        let paris = organiser(WEEK, PARIS);
        assert!(may_remove(std::slice::from_ref(&lyon), &lyon, true));
        assert!(!may_remove(std::slice::from_ref(&lyon), &paris, true));
        // A city team manages its own team, not another city's, nor the edition's admins.
        assert!(may_remove(std::slice::from_ref(&lyon), &lyon, false));
        assert!(!may_remove(std::slice::from_ref(&lyon), &paris, false));
        assert!(!may_remove(
            std::slice::from_ref(&lyon),
            &edition_admin(WEEK),
            false
        ));
        assert!(may_remove(&[edition_admin(WEEK)], &paris, false));
        assert!(!may_remove(
            &[edition_admin(WEEK)],
            &Role::PlatformAdmin,
            false
        ));
        assert_eq!(team_action(&Role::PlatformAdmin), None);
    }

    #[test]
    fn several_roles_add_up() {
        let roles = [organiser(WEEK, LYON), organiser(WEEK, PARIS)];
        assert!(may(
            &roles,
            Action::EditStage {
                edition: WEEK,
                stage: PARIS
            }
        ));
        assert!(may(
            &roles,
            Action::EditStage {
                edition: WEEK,
                stage: LYON
            }
        ));
        assert!(!may(&roles, Action::AddStage { edition: WEEK }));
    }

    #[test]
    fn nobody_without_a_role_may_do_anything() {
        assert!(!may(&[], Action::CreateEdition));
        for action in actions(WEEK, LYON) {
            assert!(!may(&[], action), "{action:?}");
        }
    }

    #[test]
    fn the_workspace_lists_the_stages_within_reach() {
        assert_eq!(stage_reach(&[edition_admin(WEEK)], WEEK), StageReach::All);
        assert_eq!(stage_reach(&[Role::PlatformAdmin], WEEK), StageReach::All);
        let roles = [organiser(WEEK, LYON), organiser(OTHER_WEEK, PARIS)];
        assert_eq!(stage_reach(&roles, WEEK), StageReach::Only(vec![LYON]));
        assert_eq!(
            stage_reach(&[edition_admin(OTHER_WEEK)], WEEK),
            StageReach::Only(vec![])
        );
    }

    #[test]
    fn a_city_team_invites_to_its_own_stage_only_and_nobody_invites_a_platform_admin() {
        let lyon = vec![Role::StageOrganiser {
            edition: "e".into(),
            stage: "lyon".into(),
        }];
        let to = |stage: &str| Role::StageOrganiser {
            edition: "e".into(),
            stage: stage.into(),
        };
        assert!(may_invite(&lyon, &to("lyon")));
        assert!(!may_invite(&lyon, &to("paris")));
        assert!(!may_invite(
            &lyon,
            &Role::EditionAdmin {
                edition: "e".into()
            }
        ));
        let national = vec![Role::EditionAdmin {
            edition: "e".into(),
        }];
        assert!(may_invite(&national, &to("paris")));
        assert!(may_invite(
            &national,
            &Role::EditionAdmin {
                edition: "e".into()
            }
        ));
        assert!(!may_invite(
            &national,
            &Role::EditionAdmin {
                edition: "other".into()
            }
        ));
        assert!(!may_invite(&[Role::PlatformAdmin], &Role::PlatformAdmin));
    }
}
