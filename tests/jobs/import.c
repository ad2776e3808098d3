/* Imports a function that is not WASI: a job that may not run. */
__attribute__((import_module("env"), import_name("launch"))) int launch(int);

int main(void)
{
    return launch(1);
}
