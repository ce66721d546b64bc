//! Changing a line-up one piece at a time, as organisers do in the workspace: add, replace,
//! remove or move a speaker or a project, add, replace or remove a programme item. Pieces are
//! named by their position; the programme's links to speakers and projects follow every move
//! and removal, so that an item never points at the wrong person.

use super::lineup::{Lineup, Project, ScheduledItem, Speaker};

/// Which way a speaker or a project moves in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// A position that is not in the line-up (it changed meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no such piece of the line-up")]
pub struct Gone;

impl Lineup {
    /// Adds a speaker at the end, or replaces the one at `at` (keeping their links and photo
    /// when the new one has none).
    pub fn put_speaker(&mut self, at: Option<usize>, mut speaker: Speaker) -> Result<(), Gone> {
        match at {
            None => self.speakers.push(speaker),
            Some(i) => {
                let old = self.speakers.get_mut(i).ok_or(Gone)?;
                if speaker.links.is_empty() {
                    speaker.links = std::mem::take(&mut old.links);
                }
                if speaker.photo_url.is_none() {
                    speaker.photo_url = old.photo_url.take();
                }
                *old = speaker;
            }
        }
        Ok(())
    }

    pub fn put_project(&mut self, at: Option<usize>, project: Project) -> Result<(), Gone> {
        match at {
            None => self.projects.push(project),
            Some(i) => *self.projects.get_mut(i).ok_or(Gone)? = project,
        }
        Ok(())
    }

    /// Adds an item, or replaces the one at `at`; the programme stays in time order.
    pub fn put_item(&mut self, at: Option<usize>, item: ScheduledItem) -> Result<(), Gone> {
        let dangling = item.speakers.iter().any(|&i| i >= self.speakers.len())
            || item.projects.iter().any(|&i| i >= self.projects.len());
        if dangling {
            return Err(Gone);
        }
        match at {
            None => self.programme.push(item),
            Some(i) => *self.programme.get_mut(i).ok_or(Gone)? = item,
        }
        self.programme.sort_by(|a, b| {
            (a.item.starts_at, a.item.duration_minutes)
                .cmp(&(b.item.starts_at, b.item.duration_minutes))
        });
        Ok(())
    }

    /// Removes a speaker; the items that presented them no longer do.
    pub fn remove_speaker(&mut self, at: usize) -> Result<(), Gone> {
        if at >= self.speakers.len() {
            return Err(Gone);
        }
        self.speakers.remove(at);
        for scheduled in &mut self.programme {
            unlink(&mut scheduled.speakers, at);
        }
        Ok(())
    }

    pub fn remove_project(&mut self, at: usize) -> Result<(), Gone> {
        if at >= self.projects.len() {
            return Err(Gone);
        }
        self.projects.remove(at);
        for scheduled in &mut self.programme {
            unlink(&mut scheduled.projects, at);
        }
        Ok(())
    }

    pub fn remove_item(&mut self, at: usize) -> Result<(), Gone> {
        if at >= self.programme.len() {
            return Err(Gone);
        }
        self.programme.remove(at);
        Ok(())
    }

    /// Moves a speaker one place; at either end, nothing moves.
    pub fn move_speaker(&mut self, at: usize, way: Move) -> Result<(), Gone> {
        let Some(other) = neighbour(at, way, self.speakers.len())? else {
            return Ok(());
        };
        self.speakers.swap(at, other);
        for scheduled in &mut self.programme {
            swap_links(&mut scheduled.speakers, at, other);
        }
        Ok(())
    }

    pub fn move_project(&mut self, at: usize, way: Move) -> Result<(), Gone> {
        let Some(other) = neighbour(at, way, self.projects.len())? else {
            return Ok(());
        };
        self.projects.swap(at, other);
        for scheduled in &mut self.programme {
            swap_links(&mut scheduled.projects, at, other);
        }
        Ok(())
    }
}

/// The position `at` swaps with, `None` at the end it moves towards.
fn neighbour(at: usize, way: Move, len: usize) -> Result<Option<usize>, Gone> {
    if at >= len {
        return Err(Gone);
    }
    Ok(match way {
        Move::Up => at.checked_sub(1),
        Move::Down => (at + 1 < len).then_some(at + 1),
    })
}

fn unlink(links: &mut Vec<usize>, removed: usize) {
    links.retain(|&i| i != removed);
    for i in links.iter_mut() {
        if *i > removed {
            *i -= 1;
        }
    }
}

fn swap_links(links: &mut [usize], a: usize, b: usize) {
    for i in links.iter_mut() {
        if *i == a {
            *i = b;
        } else if *i == b {
            *i = a;
        }
    }
    links.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lineup::{ProgrammeItem, ProgrammeKind};
    use chrono::{DateTime, Utc};

    fn speaker(name: &str) -> Speaker {
        Speaker {
            name: name.into(),
            title: None,
            bio: None,
            photo_url: None,
            links: vec![],
        }
    }

    fn item(minute: i64, speakers: Vec<usize>) -> ScheduledItem {
        let start: DateTime<Utc> = "2027-12-09T17:30:00Z".parse().unwrap();
        ScheduledItem {
            item: ProgrammeItem {
                starts_at: start + chrono::Duration::minutes(minute),
                duration_minutes: 20,
                kind: ProgrammeKind::Talk,
                title: format!("À {minute}"),
            },
            speakers,
            projects: vec![],
        }
    }

    fn lineup() -> Lineup {
        Lineup::new(
            vec![speaker("Amina"), speaker("Bruno"), speaker("Chloé")],
            vec![],
            vec![item(0, vec![0, 2]), item(30, vec![1])],
        )
        .unwrap()
    }

    fn presented(lineup: &Lineup, at: usize) -> Vec<&str> {
        lineup.programme[at]
            .speakers
            .iter()
            .map(|&i| lineup.speakers[i].name.as_str())
            .collect()
    }

    #[test]
    fn removing_a_speaker_unlinks_them_and_keeps_everyone_else_linked() {
        let mut lineup = lineup();
        lineup.remove_speaker(0).unwrap();
        assert_eq!(presented(&lineup, 0), ["Chloé"]);
        assert_eq!(presented(&lineup, 1), ["Bruno"]);
        assert_eq!(lineup.remove_speaker(5), Err(Gone));
    }

    #[test]
    fn moving_a_speaker_keeps_each_item_with_the_same_people() {
        let mut lineup = lineup();
        lineup.move_speaker(2, Move::Up).unwrap();
        let names: Vec<_> = lineup.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Amina", "Chloé", "Bruno"]);
        assert_eq!(presented(&lineup, 0), ["Amina", "Chloé"]);
        assert_eq!(presented(&lineup, 1), ["Bruno"]);
        // At the top, up does nothing.
        lineup.move_speaker(0, Move::Up).unwrap();
        assert_eq!(lineup.speakers[0].name, "Amina");
        lineup.move_speaker(2, Move::Down).unwrap();
        assert_eq!(lineup.speakers[2].name, "Bruno");
    }

    #[test]
    fn items_stay_in_time_order_and_may_only_link_who_is_there() {
        let mut lineup = lineup();
        lineup.put_item(None, item(10, vec![1])).unwrap();
        let minutes: Vec<_> = lineup
            .programme
            .iter()
            .map(|s| s.item.title.as_str())
            .collect();
        assert_eq!(minutes, ["À 0", "À 10", "À 30"]);
        assert_eq!(lineup.put_item(None, item(40, vec![3])), Err(Gone));
        lineup.put_item(Some(0), item(50, vec![])).unwrap();
        assert_eq!(lineup.programme[2].item.title, "À 50");
    }

    #[test]
    fn replacing_a_speaker_keeps_their_links_when_the_form_has_none() {
        let mut lineup = lineup();
        lineup.speakers[1].links = vec![crate::SpeakerLink {
            label: "Site".into(),
            url: "https://bruno.example".into(),
        }];
        lineup.put_speaker(Some(1), speaker("Bruno B.")).unwrap();
        assert_eq!(lineup.speakers[1].name, "Bruno B.");
        assert_eq!(lineup.speakers[1].links.len(), 1);
        assert_eq!(lineup.put_speaker(Some(9), speaker("x")), Err(Gone));
    }
}
