# lde run --gdb 0 hello
# status 0
# gdb detaches at main: lde runs on to the end as `lde run` would.
set pagination off
set confirm off
break main
continue
printf "CHECK main: %d\n", $pc == (long)&main
detach inferiors 1 2
