# The scenario language without a machine: values, echo, variables, blocks.
echo "strings keep # and \"quotes\"\tand tabs"   # a comment after a command
echo 1 + 2 * 3 (1 + 2) * 3 (-7 / 2) 0x10 16M 4K
echo ENOMEM (-ENOMEM) EINVAL
echo 500ms 2s 10us 3ns

# Variables: plain and indexed; an assignment takes an expression.
x = 3 * 4K
half = x / 2
echo x half x - half

# Blocks nest; `as VAR` counts from 0.
total = 0
repeat 3 as i
  repeat i + 1 as j
    total = total + 1
    cell[i * 10 + j] = total
  end
end
echo total cell[0] cell[10] cell[11] cell[22]

# Arithmetic wraps at 64 bits, as in C on unsigned values.
big = 9223372036854775807
echo big + 1 (0 - big - 1) / -1
