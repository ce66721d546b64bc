//! Confirming one's address on a stage that asks for it (`domain::address_check`): the emailed
//! link's page and button, and the pass that gives back the seats whose time ran out. The
//! server runs the pass every minute, with the reminders (`server`'s `passes`).

use super::{local_time, place, Desk, Registration};
use crate::api::registration::{AddressCheckState, AddressCheckView};
use crate::db::registrations::{self as store, AddressConfirmation, TokenColumn};
use crate::db::DbError;
use crate::domain::address_check::hold_expired;
use crate::domain::registration::RegistrationStatus;
use crate::error::AppError;
use crate::links::{looks_like_token, token_hash};
use crate::mail::Notice;
use chrono::{DateTime, Utc};

impl Desk {
    /// The page behind a confirmation link: where the registration stands, changing nothing
    /// (mail scanners open links; only the page's button confirms).
    pub async fn address_check(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AddressCheckView, AppError> {
        let registration = self.find(TokenColumn::Confirm, token).await?;
        let record = &registration.record;
        let state = match record.confirm_by {
            None => AddressCheckState::Confirmed {
                registration_path: self.links.manage_path(&record.id),
            },
            Some(until)
                if record.status == RegistrationStatus::Cancelled || hold_expired(until, now) =>
            {
                AddressCheckState::TooLate
            }
            Some(until) => AddressCheckState::Awaiting {
                until: local_time(&registration.stage.stage, until),
                waiting: record.status == RegistrationStatus::Waitlisted,
            },
        };
        Ok(AddressCheckView {
            attendee_name: record.attendee.name.clone(),
            place: place(&registration),
            state,
        })
    }

    /// The confirmation page's button: confirms the address while the hold lasts, and queues
    /// the usual email (the ticket, for a seat) in the same transaction. Returns where to go:
    /// "my registration" once confirmed, else the confirmation page, which says why not.
    pub async fn confirm_address(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        if !looks_like_token(token) {
            return Err(AppError::NotFound);
        }
        let Registration { stage, edition, .. } = self.find(TokenColumn::Confirm, token).await?;
        let letterhead = self.letterhead(&edition, &stage).await;
        let confirmation = store::confirm_address(&self.db, &token_hash(token), now, |record| {
            let notice = match record.status {
                RegistrationStatus::Waitlisted => Notice::Waitlisted,
                _ => Notice::Confirmed,
            };
            Some(letterhead.email(notice, record))
        })
        .await?
        .ok_or(AppError::NotFound)?;
        Ok(match confirmation {
            AddressConfirmation::Confirmed(record) => {
                self.outbox.wake();
                format!("{}?address_confirmed", self.links.manage_path(&record.id))
            }
            AddressConfirmation::AlreadyConfirmed(record) => self.links.manage_path(&record.id),
            AddressConfirmation::TooLate(_) => crate::paths::confirm_address(token),
        })
    }

    /// Gives back every seat and place whose hold ran out by `now`, stage by stage; the freed
    /// seats go to the waiting list, who are told. Returns how many were given back. A stage
    /// that fails is logged and the others are still released; the next pass tries it again.
    #[tracing::instrument(skip_all, fields(at = %now))]
    pub async fn release_expired_holds(&self, now: DateTime<Utc>) -> Result<usize, DbError> {
        let mut released = 0;
        let mut failure = None;
        for stage_id in store::stages_with_expired_holds(&self.db, now).await? {
            match self.release_stage(&stage_id, now).await {
                Ok(count) => released += count,
                Err(error) => {
                    tracing::error!(stage = %stage_id, %error, "could not release a stage's expired holds");
                    failure = Some(error);
                }
            }
        }
        if released > 0 {
            tracing::info!(released, "seats held for an unconfirmed address given back");
        }
        match failure {
            Some(error) => Err(error),
            None => Ok(released),
        }
    }

    async fn release_stage(&self, stage_id: &str, now: DateTime<Utc>) -> Result<usize, DbError> {
        let Some((stage, edition)) = self.stage_and_edition(stage_id).await? else {
            return Ok(0);
        };
        let letterhead = self.letterhead(&edition, &stage).await;
        let release = store::release_expired_holds(&self.db, stage_id, now, |promoted| {
            promoted
                .iter()
                .map(|record| letterhead.email(Notice::Promoted, record))
                .collect()
        })
        .await?;
        if !release.promoted.is_empty() {
            self.outbox.wake();
        }
        Ok(release.released.len())
    }
}
