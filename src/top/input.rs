//! Terminal events (crossterm's) turned into the view's own [`Key`]s.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::state::Key;

/// The key an event means, if any.
pub fn key_of(event: Event) -> Option<Key> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => key_event(k),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Key::Click {
                x: m.column,
                y: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Key::WheelUp),
            MouseEventKind::ScrollDown => Some(Key::WheelDown),
            _ => None,
        },
        Event::Resize(width, height) => Some(Key::Resize { width, height }),
        _ => None,
    }
}

fn key_event(k: KeyEvent) -> Option<Key> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    Some(match k.code {
        KeyCode::Char('c') if ctrl => Key::Interrupt,
        // Ctrl+Z stops the view as it would stop top (the terminal does
        // not, in raw mode).
        KeyCode::Char('z') if ctrl => Key::Suspend,
        // Other control keys mean nothing here (raw mode delivers them as keys).
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::F(1) => Key::Char('?'),
        KeyCode::F(10) => Key::Char('q'),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyEventState, MouseEvent};

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::empty(),
        })
    }

    #[test]
    fn keys_and_mouse() {
        assert_eq!(
            key_of(press(KeyCode::Char('k'), KeyModifiers::NONE)),
            Some(Key::Char('k'))
        );
        assert_eq!(
            key_of(press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Key::Interrupt)
        );
        assert_eq!(
            key_of(press(KeyCode::Char('z'), KeyModifiers::CONTROL)),
            Some(Key::Suspend)
        );
        assert_eq!(
            key_of(press(KeyCode::Char('x'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            key_of(press(KeyCode::F(10), KeyModifiers::NONE)),
            Some(Key::Char('q'))
        );
        let click = Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 4,
            row: 9,
            modifiers: KeyModifiers::NONE,
        });
        assert_eq!(key_of(click), Some(Key::Click { x: 4, y: 9 }));
        assert_eq!(
            key_of(Event::Resize(80, 24)),
            Some(Key::Resize {
                width: 80,
                height: 24
            })
        );
    }
}
