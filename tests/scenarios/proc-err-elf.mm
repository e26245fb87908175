# exit: 2
# exe= must name an ELF program for the machine's architecture.
spawn a exe=tests/scenarios/proc-err-elf.mm
