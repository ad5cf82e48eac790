//! POSIX extended regular expressions from the C library (regcomp(3)), as
//! pgrep compiles its PATTERN: the same syntax, the same matches in the
//! same locale, and the same error texts. Rust's `regex` crate differs
//! from POSIX ERE (back-references, `\d`, bracket rules), which would make
//! `pgrep PATTERN` match other processes than procps's pgrep.

use std::ffi::CString;
use std::mem::MaybeUninit;

use nix::libc;

/// A compiled pattern.
pub struct PosixRegex {
    compiled: Box<libc::regex_t>,
}

impl PosixRegex {
    /// Compiles an extended regex without sub-matches; the error is
    /// regerror(3)'s text.
    pub fn new(pattern: &[u8], ignore_case: bool) -> Result<PosixRegex, String> {
        let source = CString::new(pattern).map_err(|_| "invalid pattern".to_string())?;
        let mut flags = libc::REG_EXTENDED | libc::REG_NOSUB;
        if ignore_case {
            flags |= libc::REG_ICASE;
        }
        let mut compiled: Box<MaybeUninit<libc::regex_t>> = Box::new(MaybeUninit::uninit());
        // SAFETY: regcomp initialises the regex_t it is given; the pattern
        // is a valid NUL-terminated string.
        let rc = unsafe { libc::regcomp(compiled.as_mut_ptr(), source.as_ptr(), flags) };
        if rc != 0 {
            let mut buf = [0u8; 256];
            // SAFETY: regerror writes at most buf.len() bytes, NUL included;
            // after a failed regcomp the regex_t may be passed to regerror.
            unsafe {
                libc::regerror(rc, compiled.as_ptr(), buf.as_mut_ptr().cast(), buf.len());
            }
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return Err(String::from_utf8_lossy(&buf[..end]).into_owned());
        }
        // SAFETY: regcomp succeeded, so the value is initialised; the box
        // keeps its address, which the C library may rely on.
        let compiled = unsafe { Box::from_raw(Box::into_raw(compiled).cast::<libc::regex_t>()) };
        Ok(PosixRegex { compiled })
    }

    /// Whether the text (a C string: it stops at a NUL) matches.
    pub fn is_match(&self, text: &[u8]) -> bool {
        let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        let Ok(subject) = CString::new(&text[..end]) else {
            return false;
        };
        // SAFETY: the regex is compiled; with REG_NOSUB no match array is
        // written, so nmatch 0 and a null pmatch are allowed.
        let rc = unsafe {
            libc::regexec(
                &*self.compiled,
                subject.as_ptr(),
                0,
                std::ptr::null_mut(),
                0,
            )
        };
        rc == 0
    }
}

impl Drop for PosixRegex {
    fn drop(&mut self) {
        // SAFETY: compiled by regcomp and freed once.
        unsafe { libc::regfree(&mut *self.compiled) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_syntax_and_errors() {
        let re = PosixRegex::new(b"^(ba|z)sh$", false).unwrap();
        assert!(re.is_match(b"bash") && re.is_match(b"zsh") && !re.is_match(b"dash"));
        assert!(PosixRegex::new(b"SLEEP", true).unwrap().is_match(b"sleep"));
        assert!(PosixRegex::new(b"(a)\\1", false).unwrap().is_match(b"aa"));
        assert_eq!(
            PosixRegex::new(b"(", false).err().unwrap(),
            "Unmatched ( or \\("
        );
    }
}
